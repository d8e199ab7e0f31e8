import {
  DescriptionSchema,
  MeshCreateSchema,
  type MeshCreate,
  type MeshUpdate,
  type MtlsMode,
} from '@meshdeck/domain';
import { z } from 'zod';
import { isDirty } from '../../../components/form/server-errors.ts';

const create = MeshCreateSchema.shape;
/** The CA select's value for "create a new certificate authority with the mesh". */
export const NEW_AUTHORITY = 'new';

export const meshFormSchema = z.object({
  compartmentId: create.compartmentId,
  displayName: z
    .string()
    .min(1, { error: 'required' })
    .max(255, { error: 'at most 255 characters' }),
  description: DescriptionSchema,
  certificateAuthorityId: z.string().min(1, { error: 'choose a certificate authority' }),
  minimum: z.enum(['DISABLED', 'PERMISSIVE', 'STRICT']),
});
export type MeshFormValues = z.infer<typeof meshFormSchema>;

export function emptyMeshFormValues(compartmentId = ''): MeshFormValues {
  return {
    compartmentId,
    displayName: '',
    description: '',
    certificateAuthorityId: NEW_AUTHORITY,
    minimum: 'STRICT',
  };
}

export function meshFormValues(mesh: {
  compartmentId: string;
  displayName: string;
  description?: string | undefined;
  certificateAuthorities: { id: string }[];
  mtls: { minimum: MtlsMode };
}): MeshFormValues {
  return {
    compartmentId: mesh.compartmentId,
    displayName: mesh.displayName,
    description: mesh.description ?? '',
    certificateAuthorityId: mesh.certificateAuthorities[0]?.id ?? '',
    minimum: mesh.mtls.minimum,
  };
}

/** The POST body (OCI CreateMeshDetails); a new CA's id is filled in once it exists. */
export function toMeshCreate(values: MeshFormValues, newAuthorityId = '<new CA id>'): MeshCreate {
  return {
    compartmentId: values.compartmentId,
    displayName: values.displayName,
    ...(values.description !== '' ? { description: values.description } : {}),
    certificateAuthorities: [
      {
        id:
          values.certificateAuthorityId === NEW_AUTHORITY
            ? newAuthorityId
            : values.certificateAuthorityId,
      },
    ],
    mtls: { minimum: values.minimum },
  };
}

export type MeshDirty = { [K in keyof MeshFormValues]?: unknown };

/**
 * The PUT body: name and description when changed. The compartment and the CA are immutable; the
 * mTLS minimum changes on the mTLS tab (one step at a time, or a staged migration).
 */
export function toMeshUpdate(values: MeshFormValues, dirty: MeshDirty): MeshUpdate {
  const body: MeshUpdate = {};
  if (isDirty(dirty.displayName)) body.displayName = values.displayName;
  if (isDirty(dirty.description)) body.description = values.description;
  return body;
}

/** Server paths onto form fields (`certificateAuthorities[0].id` → the CA select). */
export function meshFormPathOf(path: string): string | undefined {
  if (path.startsWith('certificateAuthorities')) return 'certificateAuthorityId';
  if (path.startsWith('mtls')) return 'minimum';
  return ['compartmentId', 'displayName', 'description'].includes(path) ? path : undefined;
}
