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
import { SelectField, TextAreaField, TextField } from '../../../components/ui/form-field.tsx';
import { OciCallPreview } from '../../../components/ui/oci-call-preview.tsx';
import { ociCallFor } from '../../../lib/oci-call.ts';
import {
  emptyDestination,
  emptyRouteRule,
  formPathOf,
  ingressRouteTableFormSchema,
  parseServerPath,
  ROUTE_TYPES,
  toIngressRouteTableCreate,
  toIngressRouteTableUpdate,
  type IngressRouteTableFormValues,
} from './ingress-route-table-form-schema.ts';

export interface IngressRouteTableFormProps {
  variant: 'create' | 'edit';
  gateway: { id: string; name: string; compartmentId: string; hosts: { name: string }[] };
  services: { id: string; name: string }[];
  defaultValues: IngressRouteTableFormValues;
  routeTableId?: string;
  onSubmit: (values: IngressRouteTableFormValues) => void;
  isPending: boolean;
  serverError: unknown;
  onReload?: (() => void) | undefined;
  cancelTo: string;
}

/**
 * Create and edit form of an ingress gateway route table: priority and rules, each with the
 * gateway host, path and path type, rewrites, timeout and weighted destinations. The domain's
 * create schema judges the body the form would send, so errors show before sending.
 */
export function IngressRouteTableForm({
  variant,
  gateway,
  services,
  defaultValues,
  routeTableId,
  onSubmit,
  isPending,
  serverError,
  onReload,
  cancelTo,
}: IngressRouteTableFormProps) {
  const schema = useMemo(
    () => ingressRouteTableFormSchema(gateway.hosts.map((h) => h.name)),
    [gateway.hosts],
  );
  const {
    register,
    control,
    handleSubmit,
    setError,
    formState: { errors, isSubmitted },
  } = useForm({
    resolver: zodResolver(schema),
    defaultValues,
    mode: 'onSubmit',
    reValidateMode: 'onChange',
  });
  const rules = useFieldArray({ control, name: 'routeRules' });
  const values = useWatch({ control }) as IngressRouteTableFormValues;
  const unmapped = useServerFieldErrors(serverError, setError, (p) =>
    formPathOf(parseServerPath(p)),
  );
  const preview = useMemo(() => {
    const full = { ...defaultValues, ...values };
    return variant === 'create'
      ? ociCallFor('IngressGatewayRouteTable', 'create', {
          body: toIngressRouteTableCreate(full, gateway),
        })
      : ociCallFor('IngressGatewayRouteTable', 'update', {
          id: routeTableId,
          body: toIngressRouteTableUpdate(full, defaultValues),
        });
  }, [values, variant, gateway, routeTableId, defaultValues]);

  return (
    <form
      className="form"
      noValidate
      aria-label={variant === 'create' ? 'New gateway route table' : 'Edit gateway route table'}
      onSubmit={handleSubmit((v) => onSubmit(v))}
    >
      <FormServerAlert
        error={serverError}
        title={
          variant === 'create' ? 'The route table was not created' : 'The changes were not saved'
        }
        unmapped={unmapped}
        onReload={onReload}
      />
      <div className="form__grid">
        <TextField label="Ingress gateway" readOnly value={gateway.name} />
        <TextField
          label="Name"
          autoComplete="off"
          readOnly={variant === 'edit'}
          hint={variant === 'edit' ? 'The name cannot be changed.' : 'Letters, digits, - and _.'}
          error={errors.name?.message}
          {...register('name')}
        />
        <TextField
          label="Priority"
          type="number"
          inputMode="numeric"
          min={0}
          max={1000}
          hint="0–1000, lower applies first. Empty: none."
          error={errors.priority?.message}
          {...register('priority')}
        />
      </div>
      <TextAreaField
        label="Description"
        rows={2}
        error={errors.description?.message}
        {...register('description')}
      />
      <ArrayField
        legend="Route rules"
        item="route rule"
        rows={rules.fields}
        max={200}
        error={errors.routeRules?.message ?? errors.routeRules?.root?.message}
        onAdd={() => rules.append(emptyRouteRule(gateway.hosts[0]?.name ?? ''))}
        onRemove={(i) => rules.remove(i)}
        renderRow={(_row, index) => (
          <RuleFields
            index={index}
            control={control}
            register={register}
            errors={errors}
            values={values}
            gateway={gateway}
            services={services}
          />
        )}
      />
      <OciCallPreview {...preview} />
      <div className="form__actions">
        <button type="submit" className="button button--primary" disabled={isPending}>
          {isPending ? 'Saving…' : variant === 'create' ? 'Create route table' : 'Save changes'}
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

function RuleFields({
  index,
  control,
  register,
  errors,
  values,
  gateway,
  services,
}: {
  index: number;
  control: Control<IngressRouteTableFormValues>;
  register: UseFormRegister<IngressRouteTableFormValues>;
  errors: FieldErrors<IngressRouteTableFormValues>;
  values: IngressRouteTableFormValues;
  gateway: IngressRouteTableFormProps['gateway'];
  services: IngressRouteTableFormProps['services'];
}) {
  const destinations = useFieldArray({ control, name: `routeRules.${index}.destinations` });
  const e = errors.routeRules?.[index];
  const r = `Rule ${index + 1}`;
  const http = (values.routeRules?.[index]?.type ?? 'HTTP') === 'HTTP';
  return (
    <>
      <div className="form__grid">
        <SelectField
          label={`${r} protocol`}
          error={e?.type?.message}
          {...register(`routeRules.${index}.type`)}
        >
          {ROUTE_TYPES.map((t) => (
            <option key={t} value={t}>
              {t}
            </option>
          ))}
        </SelectField>
        <SelectField
          label={`${r} gateway host`}
          error={e?.hostName?.message}
          {...register(`routeRules.${index}.hostName`)}
        >
          <option value="">Every host</option>
          {gateway.hosts.map((h) => (
            <option key={h.name} value={h.name}>
              {h.name}
            </option>
          ))}
        </SelectField>
        <TextField
          label={`${r} gateway host port`}
          type="number"
          inputMode="numeric"
          hint="Empty: every listener port of the host."
          error={e?.hostPort?.message}
          {...register(`routeRules.${index}.hostPort`)}
        />
      </div>
      {http ? (
        <>
          <div className="form__grid">
            <TextField
              label={`${r} path`}
              autoComplete="off"
              hint="A prefix; starts with /."
              error={e?.path?.message}
              {...register(`routeRules.${index}.path`)}
            />
            <SelectField
              label={`${r} path type`}
              error={e?.pathType?.message}
              {...register(`routeRules.${index}.pathType`)}
            >
              <option value="">Not set</option>
              <option value="PREFIX">PREFIX</option>
            </SelectField>
            <TextField
              label={`${r} request timeout (ms)`}
              type="number"
              inputMode="numeric"
              min={0}
              hint="Empty: the default. 0 means no timeout."
              error={e?.requestTimeoutInMs?.message}
              {...register(`routeRules.${index}.requestTimeoutInMs`)}
            />
          </div>
          <div className="form__grid">
            <label className="checkbox">
              <input type="checkbox" {...register(`routeRules.${index}.isPathRewriteEnabled`)} />{' '}
              {r} rewrites the path to /
            </label>
            <label className="checkbox">
              <input type="checkbox" {...register(`routeRules.${index}.isHostRewriteEnabled`)} />{' '}
              {r} rewrites the host to the service&apos;s
            </label>
            <label className="checkbox">
              <input type="checkbox" {...register(`routeRules.${index}.isGrpc`)} /> {r} is gRPC
            </label>
          </div>
        </>
      ) : null}
      <ArrayField
        legend={`${r} destinations`}
        item={`${r.toLowerCase()} destination`}
        rows={destinations.fields}
        max={15}
        error={e?.destinations?.message ?? e?.destinations?.root?.message}
        onAdd={() => destinations.append(emptyDestination())}
        onRemove={(i) => destinations.remove(i)}
        renderRow={(_row, d) => {
          const de = e?.destinations?.[d];
          const label = `${r} destination ${d + 1}`;
          return (
            <div className="form__grid">
              <SelectField
                label={`${label} virtual service`}
                error={de?.virtualServiceId?.message}
                {...register(`routeRules.${index}.destinations.${d}.virtualServiceId`)}
              >
                <option value="">Select a virtual service…</option>
                {services.map((s) => (
                  <option key={s.id} value={s.id}>
                    {s.name}
                  </option>
                ))}
              </SelectField>
              <TextField
                label={`${label} weight`}
                type="number"
                inputMode="numeric"
                min={0}
                max={100}
                hint="0–100; empty: none (0 stays 0)."
                error={de?.weight?.message}
                {...register(`routeRules.${index}.destinations.${d}.weight`)}
              />
              <TextField
                label={`${label} port`}
                type="number"
                inputMode="numeric"
                min={1}
                max={65535}
                error={de?.port?.message}
                {...register(`routeRules.${index}.destinations.${d}.port`)}
              />
            </div>
          );
        }}
      />
    </>
  );
}
