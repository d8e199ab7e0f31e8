import { zodResolver } from '@hookform/resolvers/zod';
import { useEffect, useMemo } from 'react';
import { useFieldArray, useForm, useWatch, type FieldErrors } from 'react-hook-form';
import { Link } from 'react-router';
import { Alert } from '../../../components/ui/alert.tsx';
import {
  FieldError,
  SelectField,
  TextAreaField,
  TextField,
} from '../../../components/ui/form-field.tsx';
import { OciCallPreview } from '../../../components/ui/oci-call-preview.tsx';
import { isApiError, isStaleVersionError } from '../../../lib/api-error.ts';
import { ociCallFor } from '../../../lib/oci-call.ts';
import {
  accessPolicyFormSchema,
  emptyTarget,
  EXTERNAL_PROTOCOLS,
  formPathOf,
  parseServerPath,
  TARGET_TYPE_LABELS,
  TARGET_TYPES,
  toAccessPolicyCreate,
  toAccessPolicyUpdate,
  type AccessPolicyFormValues,
  type TargetValues,
} from './access-policy-form-schema.ts';

export interface AccessPolicyFormProps {
  variant: 'create' | 'edit';
  mesh: {
    meshId: string;
    meshName: string;
    compartmentId: string;
    virtualServices: { id: string; name: string }[];
    ingressGateways: { id: string; name: string }[];
  };
  defaultValues: AccessPolicyFormValues;
  /** The edited policy's id (edit), for the OCI call preview. */
  policyId?: string;
  onSubmit: (values: AccessPolicyFormValues) => void;
  isPending: boolean;
  serverError: unknown;
  /** After a 412: fetch the latest version (the parent remounts the form with it). */
  onReload?: (() => void) | undefined;
  cancelTo: string;
}

type Side = 'source' | 'destination';

/**
 * Create and edit form of an access policy. Every rule is ALLOW from a source to a destination;
 * each side is one of the four target types of the domain schema. The resolver runs the domain's
 * create schema on the body the form would send, so every error shows before sending, on its
 * field; the server's field errors land on the same fields.
 */
export function AccessPolicyForm({
  variant,
  mesh,
  defaultValues,
  policyId,
  onSubmit,
  isPending,
  serverError,
  onReload,
  cancelTo,
}: AccessPolicyFormProps) {
  const {
    register,
    control,
    handleSubmit,
    setError,
    formState: { errors, isSubmitted },
  } = useForm({
    resolver: zodResolver(accessPolicyFormSchema),
    defaultValues,
    mode: 'onSubmit',
    reValidateMode: 'onChange',
  });
  const rules = useFieldArray({ control, name: 'rules' });
  const values = useWatch({ control }) as AccessPolicyFormValues;

  const unmapped = useMemo(() => {
    if (!isApiError(serverError)) return [];
    return Object.entries(serverError.fieldErrors).filter(
      ([path]) => formPathOf(parseServerPath(path)) === undefined,
    );
  }, [serverError]);

  useEffect(() => {
    if (!isApiError(serverError)) return;
    for (const [path, messages] of Object.entries(serverError.fieldErrors)) {
      const field = formPathOf(parseServerPath(path));
      // The path comes from the server; react-hook-form takes any dotted name here.
      if (field) setError(field as 'name', { type: 'server', message: messages.join('; ') });
    }
  }, [serverError, setError]);

  const preview = useMemo(() => {
    const full = {
      name: values.name ?? '',
      description: values.description ?? '',
      rules: values.rules ?? [],
    };
    return variant === 'create'
      ? ociCallFor('AccessPolicy', 'create', { body: toAccessPolicyCreate(full, mesh) })
      : ociCallFor('AccessPolicy', 'update', {
          id: policyId,
          body: toAccessPolicyUpdate(full, defaultValues),
        });
  }, [values, variant, mesh, policyId, defaultValues]);

  const stale = isStaleVersionError(serverError);
  const hasFieldErrors = isApiError(serverError) && Object.keys(serverError.fieldErrors).length > 0;
  const rulesError = errors.rules?.message ?? errors.rules?.root?.message;

  return (
    <form
      className="form"
      noValidate
      aria-label={variant === 'create' ? 'New access policy' : 'Edit access policy'}
      onSubmit={handleSubmit((v) => onSubmit(v))}
    >
      {stale ? (
        <Alert title="The changes were not saved">
          <p>Someone else changed this access policy after you opened it.</p>
          {onReload ? (
            <button type="button" className="button" onClick={onReload}>
              Reload the latest version
            </button>
          ) : null}
        </Alert>
      ) : serverError && (!hasFieldErrors || unmapped.length > 0) ? (
        <Alert
          title={
            variant === 'create'
              ? 'The access policy was not created'
              : 'The changes were not saved'
          }
        >
          <p>{serverError instanceof Error ? serverError.message : 'Something went wrong'}</p>
          {unmapped.length > 0 ? (
            <ul>
              {unmapped.map(([path, messages]) => (
                <li key={path}>
                  <code>{path === '_root' ? 'request' : path}</code>: {messages.join('; ')}
                </li>
              ))}
            </ul>
          ) : null}
        </Alert>
      ) : null}

      <div className="form__grid">
        <TextField label="Mesh" readOnly value={mesh.meshName} hint="The policy's mesh." />
        <TextField
          label="Name"
          autoComplete="off"
          readOnly={variant === 'edit'}
          hint={variant === 'edit' ? 'The name cannot be changed.' : 'Letters, digits, - and _.'}
          error={errors.name?.message}
          {...register('name')}
        />
      </div>
      <TextAreaField
        label="Description"
        rows={2}
        error={errors.description?.message}
        {...register('description')}
      />

      <fieldset className="fieldset">
        <legend>Rules (ALLOW)</legend>
        <p className="field__hint">
          Traffic inside the mesh is denied unless a rule allows it. No rules: everything denied.
        </p>
        <ol className="rule-list">
          {rules.fields.map((field, index) => (
            <li key={field.id} className="rule-list__row">
              <div className="form__grid">
                {(['source', 'destination'] as const).map((side) => (
                  <TargetFields
                    key={side}
                    index={index}
                    side={side}
                    value={values.rules?.[index]?.[side]}
                    mesh={mesh}
                    register={register}
                    errors={errors}
                  />
                ))}
              </div>
              <button
                type="button"
                className="button button--ghost"
                onClick={() => rules.remove(index)}
              >
                Remove rule {index + 1}
              </button>
            </li>
          ))}
        </ol>
        {rulesError ? <FieldError>{rulesError}</FieldError> : null}
        <button
          type="button"
          className="button"
          disabled={rules.fields.length >= 50}
          onClick={() =>
            rules.append({
              source: emptyTarget('ALL_VIRTUAL_SERVICES'),
              destination: emptyTarget('VIRTUAL_SERVICE'),
            })
          }
        >
          Add rule
        </button>
      </fieldset>

      <OciCallPreview {...preview} />

      <div className="form__actions">
        <button type="submit" className="button button--primary" disabled={isPending}>
          {isPending ? 'Saving…' : variant === 'create' ? 'Create access policy' : 'Save changes'}
        </button>
        <Link to={cancelTo} className="button button--ghost">
          Cancel
        </Link>
        {isSubmitted && Object.keys(errors).length > 0 ? (
          <span className="form__summary" role="status">
            Fix the highlighted fields.
          </span>
        ) : null}
      </div>
    </form>
  );
}

function TargetFields({
  index,
  side,
  value,
  mesh,
  register,
  errors,
}: {
  index: number;
  side: Side;
  value: Partial<TargetValues> | undefined;
  mesh: AccessPolicyFormProps['mesh'];
  register: ReturnType<typeof useForm<AccessPolicyFormValues>>['register'];
  errors: FieldErrors<AccessPolicyFormValues>;
}) {
  const e = errors.rules?.[index]?.[side];
  const label = `Rule ${index + 1} ${side}`;
  const type = value?.type ?? 'ALL_VIRTUAL_SERVICES';
  return (
    <fieldset className="fieldset">
      <legend>{side === 'source' ? 'Source' : 'Destination'}</legend>
      <SelectField
        label={`${label} type`}
        error={e?.type?.message}
        {...register(`rules.${index}.${side}.type`)}
      >
        {TARGET_TYPES.map((t) => (
          <option key={t} value={t}>
            {TARGET_TYPE_LABELS[t]}
          </option>
        ))}
      </SelectField>
      {type === 'VIRTUAL_SERVICE' ? (
        <SelectField
          label={`${label} virtual service`}
          error={e?.virtualServiceId?.message}
          {...register(`rules.${index}.${side}.virtualServiceId`)}
        >
          <option value="">Select a virtual service…</option>
          {mesh.virtualServices.map((v) => (
            <option key={v.id} value={v.id}>
              {v.name}
            </option>
          ))}
        </SelectField>
      ) : null}
      {type === 'INGRESS_GATEWAY' ? (
        <SelectField
          label={`${label} ingress gateway`}
          error={e?.ingressGatewayId?.message}
          {...register(`rules.${index}.${side}.ingressGatewayId`)}
        >
          <option value="">Select an ingress gateway…</option>
          {mesh.ingressGateways.map((g) => (
            <option key={g.id} value={g.id}>
              {g.name}
            </option>
          ))}
        </SelectField>
      ) : null}
      {type === 'EXTERNAL_SERVICE' ? (
        <>
          <SelectField
            label={`${label} protocol`}
            error={e?.protocol?.message}
            {...register(`rules.${index}.${side}.protocol`)}
          >
            <option value="">Any protocol</option>
            {EXTERNAL_PROTOCOLS.map((p) => (
              <option key={p} value={p}>
                {p}
              </option>
            ))}
          </SelectField>
          <TextField
            label={`${label} hostnames`}
            hint="Comma-separated; *.example.com matches deeper names, * matches all. HTTP, HTTPS."
            autoComplete="off"
            error={e?.hostnames?.message}
            {...register(`rules.${index}.${side}.hostnames`)}
          />
          <TextField
            label={`${label} IP addresses`}
            hint="Comma-separated IPv4 addresses or CIDR blocks. TCP."
            autoComplete="off"
            error={e?.ipAddresses?.message}
            {...register(`rules.${index}.${side}.ipAddresses`)}
          />
          <TextField
            label={`${label} ports`}
            hint="Comma-separated; empty means every port."
            autoComplete="off"
            inputMode="numeric"
            error={e?.ports?.message}
            {...register(`rules.${index}.${side}.ports`)}
          />
        </>
      ) : null}
    </fieldset>
  );
}
