import { zodResolver } from '@hookform/resolvers/zod';
import { useMemo } from 'react';
import {
  useFieldArray,
  useForm,
  useWatch,
  type Control,
  type FieldErrors,
  type UseFormRegister,
} from 'react-hook-form';
import { Link } from 'react-router';
import { ArrayField } from '../../../components/form/array-field.tsx';
import { FormServerAlert } from '../../../components/form/form-alert.tsx';
import { useServerFieldErrors } from '../../../components/form/server-errors.ts';
import {
  FieldError,
  SelectField,
  TextAreaField,
  TextField,
} from '../../../components/ui/form-field.tsx';
import { OciCallPreview } from '../../../components/ui/oci-call-preview.tsx';
import { ociCallFor } from '../../../lib/oci-call.ts';
import {
  emptyHost,
  emptyListener,
  formPathOf,
  ingressGatewayFormSchema,
  LISTENER_PROTOCOLS,
  parseServerPath,
  REFERENCE_TYPES,
  TLS_CHOICES,
  TLS_HINTS,
  toIngressGatewayCreate,
  toIngressGatewayUpdate,
  type IngressGatewayFormValues,
} from './ingress-gateway-form-schema.ts';

export interface IngressGatewayFormProps {
  variant: 'create' | 'edit';
  mesh: { meshId: string; meshName: string; compartmentId: string };
  defaultValues: IngressGatewayFormValues;
  gatewayId?: string;
  onSubmit: (values: IngressGatewayFormValues) => void;
  isPending: boolean;
  serverError: unknown;
  onReload?: (() => void) | undefined;
  cancelTo: string;
}

const REFERENCE_LABELS = { OCI_CERTIFICATES: 'OCI Certificates OCID', LOCAL_FILE: 'Secret name' };

/**
 * Create and edit form of an ingress gateway: hosts, each with listeners and their TLS mode,
 * server certificate and client validation. The resolver runs the domain's create schema on the
 * body, so the listener TLS rules (TLS needs a server certificate, MUTUAL_TLS a CA bundle too)
 * show on their fields before anything is sent.
 */
export function IngressGatewayForm({
  variant,
  mesh,
  defaultValues,
  gatewayId,
  onSubmit,
  isPending,
  serverError,
  onReload,
  cancelTo,
}: IngressGatewayFormProps) {
  const {
    register,
    control,
    handleSubmit,
    setError,
    formState: { errors, isSubmitted },
  } = useForm({
    resolver: zodResolver(ingressGatewayFormSchema),
    defaultValues,
    mode: 'onSubmit',
    reValidateMode: 'onChange',
  });
  const hosts = useFieldArray({ control, name: 'hosts' });
  const values = useWatch({ control }) as IngressGatewayFormValues;
  const unmapped = useServerFieldErrors(serverError, setError, (p) =>
    formPathOf(parseServerPath(p)),
  );
  const preview = useMemo(() => {
    const full = { ...defaultValues, ...values };
    return variant === 'create'
      ? ociCallFor('IngressGateway', 'create', { body: toIngressGatewayCreate(full, mesh) })
      : ociCallFor('IngressGateway', 'update', {
          id: gatewayId,
          body: toIngressGatewayUpdate(full, defaultValues),
        });
  }, [values, variant, mesh, gatewayId, defaultValues]);

  return (
    <form
      className="form"
      noValidate
      aria-label={variant === 'create' ? 'New ingress gateway' : 'Edit ingress gateway'}
      onSubmit={handleSubmit((v) => onSubmit(v))}
    >
      <FormServerAlert
        error={serverError}
        title={
          variant === 'create'
            ? 'The ingress gateway was not created'
            : 'The changes were not saved'
        }
        unmapped={unmapped}
        onReload={onReload}
      />
      <div className="form__grid">
        <TextField label="Mesh" readOnly value={mesh.meshName} hint="The gateway's mesh." />
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

      <ArrayField
        legend="Hosts"
        item="host"
        rows={hosts.fields}
        max={5}
        error={errors.hosts?.message ?? errors.hosts?.root?.message}
        onAdd={() => hosts.append(emptyHost(), { shouldFocus: false })}
        onRemove={(i) => hosts.remove(i)}
        renderRow={(_row, index) => (
          <HostFields
            index={index}
            control={control}
            register={register}
            errors={errors}
            values={values}
          />
        )}
      />

      <div className="form__grid">
        <TextField
          label="Maximum certificate validity (days)"
          type="number"
          inputMode="numeric"
          min={45}
          max={90}
          hint="45–90 days. Leave empty for the default (45)."
          error={errors.maximumValidity?.message}
          {...register('maximumValidity')}
        />
        <div className="field">
          <label className="checkbox">
            <input type="checkbox" {...register('accessLogging')} /> Access logging
          </label>
        </div>
      </div>

      <OciCallPreview {...preview} />

      <div className="form__actions">
        <button type="submit" className="button button--primary" disabled={isPending}>
          {isPending ? 'Saving…' : variant === 'create' ? 'Create ingress gateway' : 'Save changes'}
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

function HostFields({
  index,
  control,
  register,
  errors,
  values,
}: {
  index: number;
  control: Control<IngressGatewayFormValues>;
  register: UseFormRegister<IngressGatewayFormValues>;
  errors: FieldErrors<IngressGatewayFormValues>;
  values: IngressGatewayFormValues;
}) {
  const listeners = useFieldArray({ control, name: `hosts.${index}.listeners` });
  const e = errors.hosts?.[index];
  const h = `Host ${index + 1}`;
  return (
    <>
      <div className="form__grid">
        <TextField
          label={`${h} name`}
          autoComplete="off"
          error={e?.name?.message}
          {...register(`hosts.${index}.name`)}
        />
        <TextField
          label={`${h} hostnames`}
          hint="Comma-separated, e.g. shop.example.com."
          autoComplete="off"
          error={e?.hostnames?.message}
          {...register(`hosts.${index}.hostnames`)}
        />
      </div>
      <ArrayField
        legend={`${h} listeners`}
        item={`${h.toLowerCase()} listener`}
        rows={listeners.fields}
        max={10}
        error={e?.listeners?.message ?? e?.listeners?.root?.message}
        onAdd={() => listeners.append(emptyListener(), { shouldFocus: false })}
        onRemove={(i) => listeners.remove(i)}
        renderRow={(_row, l) => {
          const le = e?.listeners?.[l];
          const label = `${h} listener ${l + 1}`;
          const listener = values.hosts?.[index]?.listeners?.[l];
          const mode = listener?.tlsMode ?? 'NONE';
          const tls = mode !== 'NONE' && mode !== 'DISABLED';
          return (
            <>
              <div className="form__grid">
                <SelectField
                  label={`${label} protocol`}
                  error={le?.protocol?.message}
                  {...register(`hosts.${index}.listeners.${l}.protocol`)}
                >
                  {LISTENER_PROTOCOLS.map((p) => (
                    <option key={p} value={p}>
                      {p}
                    </option>
                  ))}
                </SelectField>
                <TextField
                  label={`${label} port`}
                  type="number"
                  inputMode="numeric"
                  min={1}
                  max={65535}
                  error={le?.port?.message}
                  {...register(`hosts.${index}.listeners.${l}.port`)}
                />
                <SelectField
                  label={`${label} TLS mode`}
                  hint={TLS_HINTS[mode]}
                  error={le?.tlsMode?.message}
                  {...register(`hosts.${index}.listeners.${l}.tlsMode`)}
                >
                  {TLS_CHOICES.map((m) => (
                    <option key={m} value={m}>
                      {m === 'NONE' ? 'No TLS block' : m}
                    </option>
                  ))}
                </SelectField>
              </div>
              {tls ? (
                <div className="form__grid">
                  <SelectField
                    label={`${label} server certificate type`}
                    {...register(`hosts.${index}.listeners.${l}.certificateType`)}
                  >
                    {REFERENCE_TYPES.map((t) => (
                      <option key={t} value={t}>
                        {t}
                      </option>
                    ))}
                  </SelectField>
                  <TextField
                    label={`${label} server certificate`}
                    hint={REFERENCE_LABELS[listener?.certificateType ?? 'OCI_CERTIFICATES']}
                    autoComplete="off"
                    error={le?.certificate?.message}
                    {...register(`hosts.${index}.listeners.${l}.certificate`)}
                  />
                  <SelectField
                    label={`${label} trusted CA bundle type`}
                    {...register(`hosts.${index}.listeners.${l}.caBundleType`)}
                  >
                    {REFERENCE_TYPES.map((t) => (
                      <option key={t} value={t}>
                        {t}
                      </option>
                    ))}
                  </SelectField>
                  <TextField
                    label={`${label} trusted CA bundle`}
                    hint={`${REFERENCE_LABELS[listener?.caBundleType ?? 'OCI_CERTIFICATES']}; checks client certificates.`}
                    autoComplete="off"
                    error={le?.caBundle?.message}
                    {...register(`hosts.${index}.listeners.${l}.caBundle`)}
                  />
                  <TextField
                    label={`${label} client subject alternate names`}
                    hint="Comma-separated; empty accepts any client the CA bundle trusts."
                    autoComplete="off"
                    error={le?.subjectAlternateNames?.message}
                    {...register(`hosts.${index}.listeners.${l}.subjectAlternateNames`)}
                  />
                </div>
              ) : null}
            </>
          );
        }}
      />
      {e?.root?.message ? <FieldError>{e.root.message}</FieldError> : null}
    </>
  );
}
