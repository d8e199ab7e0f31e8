import { zodResolver } from '@hookform/resolvers/zod';
import type { CertificateAuthorityView } from '@meshdeck/domain';
import { useForm, useWatch } from 'react-hook-form';
import { Link } from 'react-router';
import { FormServerAlert } from '../../../components/form/form-alert.tsx';
import { useServerFieldErrors } from '../../../components/form/server-errors.ts';
import { SelectField, TextAreaField, TextField } from '../../../components/ui/form-field.tsx';
import { OciCallPreview } from '../../../components/ui/oci-call-preview.tsx';
import { ociCallFor } from '../../../lib/oci-call.ts';
import {
  meshFormPathOf,
  meshFormSchema,
  NEW_AUTHORITY,
  toMeshCreate,
  toMeshUpdate,
  type MeshDirty,
  type MeshFormValues,
} from './mesh-form-schema.ts';

export interface MeshFormProps {
  variant: 'create' | 'edit';
  id?: string | undefined;
  authorities: CertificateAuthorityView[];
  defaultValues: MeshFormValues;
  onSubmit: (values: MeshFormValues, dirty: MeshDirty) => void;
  isPending: boolean;
  serverError: unknown;
  onReload?: (() => void) | undefined;
  cancelTo: string;
  /** The mesh's mTLS tab (edit): the minimum changes there. */
  mtlsTo?: string | undefined;
}

/** Create and edit form of a mesh: name, description, certificate authority, mTLS minimum. */
export function MeshForm({
  variant,
  id,
  authorities,
  defaultValues,
  onSubmit,
  isPending,
  serverError,
  onReload,
  cancelTo,
  mtlsTo,
}: MeshFormProps) {
  const {
    register,
    control,
    handleSubmit,
    setError,
    formState: { errors, dirtyFields },
  } = useForm({
    resolver: zodResolver(meshFormSchema),
    defaultValues,
    mode: 'onSubmit',
    reValidateMode: 'onChange',
  });
  const values = useWatch({ control }) as MeshFormValues;
  const unmapped = useServerFieldErrors(serverError, setError, meshFormPathOf);
  const authority = authorities.find((a) => a.id === values.certificateAuthorityId);
  const preview =
    variant === 'create'
      ? ociCallFor('Mesh', 'create', { body: toMeshCreate(values) })
      : ociCallFor('Mesh', 'update', { id, body: toMeshUpdate(values, dirtyFields as MeshDirty) });
  return (
    <form
      className="form"
      noValidate
      aria-label={variant === 'create' ? 'New mesh' : 'Edit mesh'}
      onSubmit={handleSubmit((v) => onSubmit(v, dirtyFields as MeshDirty))}
    >
      <FormServerAlert
        error={serverError}
        title={variant === 'create' ? 'The mesh was not created' : 'The changes were not saved'}
        unmapped={unmapped}
        onReload={onReload}
      />
      <div className="form__grid">
        <TextField
          label="Name"
          autoComplete="off"
          error={errors.displayName?.message}
          {...register('displayName')}
        />
        <TextField
          label="Compartment OCID"
          autoComplete="off"
          readOnly={variant === 'edit'}
          hint={
            variant === 'edit'
              ? 'Moving a mesh to another compartment is an OCI changeCompartment call.'
              : 'ocid1.compartment.…'
          }
          error={errors.compartmentId?.message}
          {...(variant === 'create' ? register('compartmentId') : { value: values.compartmentId })}
        />
      </div>
      <TextAreaField
        label="Description"
        rows={2}
        error={errors.description?.message}
        {...register('description')}
      />
      <div className="form__grid">
        {variant === 'create' ? (
          <SelectField
            label="Certificate authority"
            hint="Every service and gateway of the mesh gets a leaf certificate from it."
            error={errors.certificateAuthorityId?.message}
            {...register('certificateAuthorityId')}
          >
            <option value={NEW_AUTHORITY}>Create a new certificate authority</option>
            {authorities.map((a) => (
              <option key={a.id} value={a.id}>
                {a.name}
                {a.meshId ? ' (used by another mesh)' : ''}
              </option>
            ))}
          </SelectField>
        ) : (
          <TextField
            label="Certificate authority"
            readOnly
            value={authority?.name ?? values.certificateAuthorityId}
            hint="A mesh keeps its certificate authority."
          />
        )}
        {variant === 'create' ? (
          <SelectField
            label="mTLS minimum"
            hint="The least strict mode a service of the mesh may declare. STRICT is the default."
            error={errors.minimum?.message}
            {...register('minimum')}
          >
            <option value="STRICT">STRICT</option>
            <option value="PERMISSIVE">PERMISSIVE</option>
            <option value="DISABLED">DISABLED</option>
          </SelectField>
        ) : (
          <TextField
            label="mTLS minimum"
            readOnly
            value={values.minimum}
            hint={
              <>
                Changes one step at a time, or as a staged migration:{' '}
                {mtlsTo ? <Link to={mtlsTo}>mTLS &amp; migrations</Link> : 'the mTLS tab'}.
              </>
            }
          />
        )}
      </div>
      <OciCallPreview {...preview} />
      <div className="form__actions">
        <button type="submit" className="button button--primary" disabled={isPending}>
          {isPending ? 'Saving…' : variant === 'create' ? 'Create mesh' : 'Save changes'}
        </button>
        <Link className="button" to={cancelTo}>
          Cancel
        </Link>
      </div>
    </form>
  );
}
