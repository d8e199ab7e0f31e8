import { z } from 'zod';
import './error-messages.ts';

/**
 * Schema-level error for required values: "required" only when the value is missing; any other
 * problem (a number where a string belongs, a string too long) keeps its own message.
 */
export const REQUIRED = {
  error: (issue: { input?: unknown }) => (issue.input === undefined ? 'required' : undefined),
};

/** OCI lifecycle states shared by all seven Service Mesh resources. */
export const LifecycleStateSchema = z.enum([
  'CREATING',
  'UPDATING',
  'ACTIVE',
  'DELETING',
  'DELETED',
  'FAILED',
]);
export type LifecycleState = z.infer<typeof LifecycleStateSchema>;

/** An OCID: 1–255 characters, no whitespace (OSOK limit). */
export const OcidSchema = z
  .string(REQUIRED)
  .min(1, { error: 'required', abort: true })
  .max(255, { error: 'must be at most 255 characters' })
  .regex(/^\S+$/, { error: 'must not contain spaces' });

/**
 * Resource names: start with a letter or `_`, then letters, digits, `-`, `_`; 1–255 characters
 * (OCI documentation, spec §5).
 */
export const NameSchema = z
  .string(REQUIRED)
  .min(1, { error: 'required', abort: true })
  .max(255, { error: 'must be at most 255 characters' })
  .regex(/^[A-Za-z_][A-Za-z0-9_-]*$/, {
    error: 'must start with a letter or _ and contain only letters, digits, - and _',
  });

/** Free text description, at most 400 characters (OSOK limit). */
export const DescriptionSchema = z.string().max(400, { error: 'must be at most 400 characters' });

export const FreeformTagsSchema = z.record(z.string(), z.string());
export const DefinedTagsSchema = z.record(z.string(), z.record(z.string(), z.unknown()));

/** A port number 1–65535. */
export const PortSchema = z
  .int({ error: 'must be a whole number' })
  .min(1, { error: 'must be between 1 and 65535' })
  .max(65535, { error: 'must be between 1 and 65535' });

/** RFC 3339 UTC instant with `Z`. */
export const InstantSchema = z.string();

/** Fields every OCI read model carries. */
export const resourceReadFields = {
  id: OcidSchema,
  compartmentId: OcidSchema,
  timeCreated: InstantSchema,
  timeUpdated: InstantSchema.optional(),
  lifecycleState: LifecycleStateSchema,
  lifecycleDetails: z.string().optional(),
  freeformTags: FreeformTagsSchema.optional(),
  definedTags: DefinedTagsSchema.optional(),
  systemTags: DefinedTagsSchema.optional(),
};

/** Tag fields accepted on create and update. */
export const tagInputFields = {
  freeformTags: FreeformTagsSchema.optional(),
  definedTags: DefinedTagsSchema.optional(),
};

export const AccessLoggingSchema = z.strictObject({ isEnabled: z.boolean().optional() });

/** ChangeXCompartmentDetails, the body of every `actions/changeCompartment` (spec §2.2). */
export const ChangeCompartmentSchema = z.strictObject({ compartmentId: OcidSchema });
export type ChangeCompartment = z.infer<typeof ChangeCompartmentSchema>;
