import { z } from 'zod';
import {
  DescriptionSchema,
  OcidFormatSchema,
  REQUIRED,
  resourceReadFields,
  tagInputFields,
} from '../common/common.schema.ts';
import { MtlsModeSchema } from '../mtls/mtls.ts';

/** `{ minimum }`: the least strict mode a virtual service of the mesh may declare. */
export const MeshMtlsSchema = z.strictObject({
  minimum: z.enum(['DISABLED', 'PERMISSIVE', 'STRICT'], {
    error: 'minimum must be DISABLED, PERMISSIVE or STRICT',
  }),
});

export const CertificateAuthorityRefSchema = z.strictObject({ id: OcidFormatSchema });

/** CreateMeshDetails. Exactly one certificate authority is supported (spec §3.1). */
export const MeshCreateSchema = z.strictObject({
  compartmentId: OcidFormatSchema,
  displayName: z.string(REQUIRED).min(1, { error: 'required' }).max(255),
  description: DescriptionSchema.optional(),
  certificateAuthorities: z
    .array(CertificateAuthorityRefSchema, REQUIRED)
    .length(1, { error: 'exactly one certificate authority is supported' }),
  mtls: MeshMtlsSchema.optional(),
  ...tagInputFields,
});
export type MeshCreate = z.infer<typeof MeshCreateSchema>;

/** UpdateMeshDetails: omitted fields stay unchanged. */
export const MeshUpdateSchema = z.strictObject({
  displayName: z.string().min(1, { error: 'required' }).max(255).optional(),
  description: DescriptionSchema.optional(),
  mtls: MeshMtlsSchema.optional(),
  ...tagInputFields,
});
export type MeshUpdate = z.infer<typeof MeshUpdateSchema>;

/** Mesh as the OCI API returns it. `mtls.minimum` is always present (default STRICT). */
export const MeshSchema = z.object({
  ...resourceReadFields,
  displayName: z.string(),
  description: z.string().optional(),
  certificateAuthorities: z.array(z.object({ id: z.string() })),
  mtls: z.object({ minimum: MtlsModeSchema }),
});
export type Mesh = z.infer<typeof MeshSchema>;
