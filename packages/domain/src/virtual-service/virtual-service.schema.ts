import { z } from 'zod';
import {
  DescriptionSchema,
  NameSchema,
  OcidFormatSchema,
  OcidSchema,
  resourceReadFields,
  tagInputFields,
} from '../common/common.schema.ts';
import { MtlsModeSchema } from '../mtls/mtls.ts';

/** Certificate lifetime in whole days, 45–90 (OCI docs); 45 when omitted. */
export const MaximumValiditySchema = z
  .int({ error: 'maximumValidity must be a whole number of days' })
  .min(45, { error: 'maximumValidity must be between 45 and 90 days' })
  .max(90, { error: 'maximumValidity must be between 45 and 90 days' });
export const DEFAULT_MAXIMUM_VALIDITY_DAYS = 45;

export const DefaultRoutingPolicySchema = z.strictObject({
  type: z.enum(['UNIFORM', 'DENY'], { error: 'type must be UNIFORM or DENY' }),
});

/**
 * A virtual-service host: a DNS name, optionally with `:port`; a wildcard only as a prefix
 * (`*.example.com`).
 */
export const HostSchema = z
  .string()
  .min(1, { error: 'host must not be empty' })
  .max(255)
  .regex(/^(\*|\*\.[A-Za-z0-9.-]+|[A-Za-z0-9_][A-Za-z0-9_.-]*)(:[0-9]{1,5})?$/, {
    error:
      'host must be a DNS name, optionally with :port; wildcards only as a prefix (*.example.com)',
  });

/** VirtualServiceMutualTransportLayerSecurityDetails. `mode` omitted = inherit the mesh minimum. */
export const VirtualServiceMtlsInputSchema = z.strictObject({
  mode: MtlsModeSchema.optional(),
  maximumValidity: MaximumValiditySchema.optional(),
});

export const VirtualServiceCreateSchema = z.strictObject({
  compartmentId: OcidFormatSchema,
  meshId: OcidSchema,
  name: NameSchema,
  description: DescriptionSchema.optional(),
  defaultRoutingPolicy: DefaultRoutingPolicySchema.optional(),
  hosts: z.array(HostSchema).max(10, { error: 'at most 10 hosts' }).optional(),
  mtls: VirtualServiceMtlsInputSchema.optional(),
  ...tagInputFields,
});
export type VirtualServiceCreate = z.infer<typeof VirtualServiceCreateSchema>;

/**
 * UpdateVirtualServiceDetails. Omitted fields stay unchanged; `mtls: null` or `mtls: {}` with no
 * mode means "inherit the mesh minimum" (case A5: only an explicit mtls key changes mTLS).
 */
export const VirtualServiceUpdateSchema = z.strictObject({
  description: DescriptionSchema.optional(),
  defaultRoutingPolicy: DefaultRoutingPolicySchema.optional(),
  hosts: z.array(HostSchema).max(10, { error: 'at most 10 hosts' }).optional(),
  mtls: VirtualServiceMtlsInputSchema.nullable().optional(),
  ...tagInputFields,
});
export type VirtualServiceUpdate = z.infer<typeof VirtualServiceUpdateSchema>;

/** MutualTransportLayerSecurity as read: `mode` is the effective mode. */
export const VirtualServiceMtlsSchema = z.object({
  certificateId: z.string(),
  mode: MtlsModeSchema,
  maximumValidity: z.number().optional(),
});

export const VirtualServiceSchema = z.object({
  ...resourceReadFields,
  meshId: z.string(),
  name: z.string(),
  description: z.string().optional(),
  defaultRoutingPolicy: z.object({ type: z.enum(['UNIFORM', 'DENY']) }).optional(),
  hosts: z.array(z.string()).optional(),
  mtls: VirtualServiceMtlsSchema.optional(),
});
export type VirtualService = z.infer<typeof VirtualServiceSchema>;
