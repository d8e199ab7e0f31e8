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

/** ocid1.<resource type>.<realm>.[region].<unique id>: permissive, ignoring case. */
const OCID_FORMAT = /^ocid1\.[a-z0-9]+\.[a-z0-9-]+\.[a-z0-9-]*\.[a-z0-9._:-]+$/i;
export const OCID_FORMAT_MESSAGE =
  'must be an OCID (ocid1.<type>.<realm>.<region>.<unique id>, e.g. ocid1.compartment.oc1..aaaa)';

export function isOcid(text: string): boolean {
  return OCID_FORMAT.test(text);
}

/**
 * An OCID a write body names that is not looked up before use (compartmentId, a certificate
 * authority): it must have the OCID shape. List query parameters keep OcidSchema's looser check.
 */
export const OcidFormatSchema = z
  .string(REQUIRED)
  .min(1, { error: 'required', abort: true })
  .max(255, { error: 'must be at most 255 characters', abort: true })
  .regex(OCID_FORMAT, { error: OCID_FORMAT_MESSAGE });

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

/** OCI tag limits: key (and defined-tag namespace) length, value length, tags per resource. */
export const TAG_KEY_MAX_LENGTH = 100;
export const TAG_VALUE_MAX_LENGTH = 256;
export const MAX_TAGS_PER_RESOURCE = 64;

const VALUE_TOO_LONG = `tag values must be at most ${TAG_VALUE_MAX_LENGTH} characters`;

/** A tag value's length: a string's own, anything else (defined tags) as JSON. */
function valueLength(value: unknown): number {
  if (typeof value === 'string') return value.length;
  return value === undefined ? 0 : (JSON.stringify(value)?.length ?? 0);
}

/**
 * Checks one map of tag keys to values: each key 1–100 characters, each value at most 256.
 * A key that is too long is reported on the map itself, never echoed as a path.
 */
function checkTagMap(
  map: Record<string, unknown>,
  path: (string | number)[],
  addIssue: (issue: { path: (string | number)[]; message: string }) => void,
  keyLabel = 'tag keys',
): void {
  const keyProblems = new Set<string>();
  for (const [key, value] of Object.entries(map)) {
    if (key.length === 0) {
      keyProblems.add(`${keyLabel} must not be empty`);
    } else if (key.length > TAG_KEY_MAX_LENGTH) {
      keyProblems.add(`${keyLabel} must be at most ${TAG_KEY_MAX_LENGTH} characters`);
    } else if (valueLength(value) > TAG_VALUE_MAX_LENGTH) {
      addIssue({ path: [...path, key], message: VALUE_TOO_LONG });
    }
  }
  for (const message of keyProblems) addIssue({ path, message });
}

/** freeformTags on create and update: at most 64 tags, keys ≤ 100 and values ≤ 256 characters. */
export const FreeformTagsInputSchema = FreeformTagsSchema.superRefine((tags, ctx) => {
  if (Object.keys(tags).length > MAX_TAGS_PER_RESOURCE) {
    ctx.addIssue({
      code: 'custom',
      path: [],
      message: `at most ${MAX_TAGS_PER_RESOURCE} freeform tags per resource`,
    });
    return;
  }
  checkTagMap(tags, [], (issue) => ctx.addIssue({ code: 'custom', ...issue }));
});

/**
 * definedTags on create and update: namespaces and keys ≤ 100 characters, values ≤ 256, at most
 * 64 tags in all namespaces together.
 */
export const DefinedTagsInputSchema = DefinedTagsSchema.superRefine((tags, ctx) => {
  const count = Object.values(tags).reduce((n, keys) => n + Object.keys(keys).length, 0);
  if (count > MAX_TAGS_PER_RESOURCE) {
    ctx.addIssue({
      code: 'custom',
      path: [],
      message: `at most ${MAX_TAGS_PER_RESOURCE} defined tags per resource`,
    });
    return;
  }
  const add = (issue: { path: (string | number)[]; message: string }) =>
    ctx.addIssue({ code: 'custom', ...issue });
  checkTagMap(
    Object.fromEntries(Object.keys(tags).map((ns) => [ns, undefined])),
    [],
    add,
    'tag namespaces',
  );
  for (const [ns, keys] of Object.entries(tags)) {
    if (ns.length >= 1 && ns.length <= TAG_KEY_MAX_LENGTH) checkTagMap(keys, [ns], add);
  }
});

/** Tag fields accepted on create and update. */
export const tagInputFields = {
  freeformTags: FreeformTagsInputSchema.optional(),
  definedTags: DefinedTagsInputSchema.optional(),
};

export const AccessLoggingSchema = z.strictObject({ isEnabled: z.boolean().optional() });

/** ChangeXCompartmentDetails, the body of every `actions/changeCompartment` (spec §2.2). */
export const ChangeCompartmentSchema = z.strictObject({ compartmentId: OcidFormatSchema });
export type ChangeCompartment = z.infer<typeof ChangeCompartmentSchema>;
