import { zodResolver } from '@hookform/resolvers/zod';
import type { VirtualDeployment, VirtualServiceView } from '@meshdeck/domain';
import {
  useFieldArray,
  useForm,
  useWatch,
  type Control,
  type FieldErrors,
  type Resolver,
  type UseFormRegister,
} from 'react-hook-form';
import { Link } from 'react-router';
import { ArrayField } from '../../../components/form/array-field.tsx';
import { FormServerAlert } from '../../../components/form/form-alert.tsx';
import { useServerFieldErrors } from '../../../components/form/server-errors.ts';
import { Alert } from '../../../components/ui/alert.tsx';
import { SelectField, TextAreaField, TextField } from '../../../components/ui/form-field.tsx';
import { OciCallPreview } from '../../../components/ui/oci-call-preview.tsx';
import { ociCallFor } from '../../../lib/oci-call.ts';
import {
  emptyRule,
  routeTableFormPathOf,
  routeTableFormSchema,
  routeTableWarnings,
  RULE_TYPES,
  toRouteTableCreate,
  toRouteTableUpdate,
  type RouteTableDirty,
  type RouteTableFormValues,
} from './route-table-form-schema.ts';

export interface RouteTableFormProps {
  variant: 'create' | 'edit';
  id?: string | undefined;
  services: VirtualServiceView[];
  deployments: VirtualDeployment[];
  defaultValues: RouteTableFormValues;
  onSubmit: (values: RouteTableFormValues, dirty: RouteTableDirty) => void;
  isPending: boolean;
  serverError: unknown;
  onReload?: (() => void) | undefined;
  cancelTo: string;
}

type Errors = FieldErrors<RouteTableFormValues>;

/** Create and edit form of a virtual service route table: priority, rules, weighted targets. */
export function RouteTableForm({
  variant,
  id,
  services,
  deployments,
  defaultValues,
  onSubmit,
  isPending,
  serverError,
  onReload,
  cancelTo,
}: RouteTableFormProps) {
  const {
    register,
    control,
    handleSubmit,
    setError,
    formState: { errors, dirtyFields },
  } = useForm({
    // The rule checks sit in an intersection (case F2), which TypeScript sees as two array
    // types; the values are the plain fields.
    resolver: zodResolver(routeTableFormSchema) as unknown as Resolver<RouteTableFormValues>,
    defaultValues,
    mode: 'onSubmit',
    reValidateMode: 'onChange',
  });
  const rules = useFieldArray({ control, name: 'routeRules' });
  const values = useWatch({ control }) as RouteTableFormValues;
  const unmapped = useServerFieldErrors(serverError, setError, routeTableFormPathOf);
  const service = services.find((s) => s.id === values.virtualServiceId);
  const choices = deployments.filter((d) => d.virtualServiceId === values.virtualServiceId);
  const nameOf = (vdId: string) => deployments.find((d) => d.id === vdId)?.name ?? vdId;
  const warnings = routeTableWarnings(values, nameOf);
  const preview =
    variant === 'create'
      ? ociCallFor('VirtualServiceRouteTable', 'create', {
          body: toRouteTableCreate(values, service?.compartmentId ?? '<compartmentId>'),
        })
      : ociCallFor('VirtualServiceRouteTable', 'update', {
          id,
          body: toRouteTableUpdate(values, dirtyFields as RouteTableDirty),
        });

  return (
    <form
      className="form"
      noValidate
      aria-label={variant === 'create' ? 'New route table' : 'Edit route table'}
      onSubmit={handleSubmit((v) => onSubmit(v, dirtyFields as RouteTableDirty))}
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
        {variant === 'create' ? (
          <SelectField
            label="Virtual service"
            error={errors.virtualServiceId?.message}
            {...register('virtualServiceId')}
          >
            <option value="">Select a virtual service…</option>
            {services.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </SelectField>
        ) : (
          <TextField
            label="Virtual service"
            readOnly
            value={service?.name ?? values.virtualServiceId}
            hint="A route table cannot move to another service."
          />
        )}
        <TextField
          label="Name"
          autoComplete="off"
          readOnly={variant === 'edit'}
          hint={variant === 'edit' ? 'The name cannot be changed.' : 'Letters, digits, - and _.'}
          error={errors.name?.message}
          {...(variant === 'create' ? register('name') : { value: values.name })}
        />
        <TextField
          label="Priority"
          inputMode="numeric"
          hint="0–1000; lower is applied first. Empty: none."
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
        item="rule"
        rows={rules.fields}
        max={200}
        error={errors.routeRules?.message ?? errors.routeRules?.root?.message}
        emptyText="No rules: the table routes nothing."
        onAdd={() => rules.append(emptyRule(), { shouldFocus: true })}
        onRemove={(i) => rules.remove(i)}
        renderRow={(_row, i) => (
          <RuleFields
            index={i}
            control={control}
            register={register}
            errors={errors}
            type={values.routeRules[i]?.type ?? 'HTTP'}
            deployments={choices}
          />
        )}
      />
      {warnings.length > 0 ? (
        <Alert tone="warning" title="Check before saving">
          <ul>
            {warnings.map((w) => (
              <li key={w.path}>
                <code>{w.code}</code> {w.message}
              </li>
            ))}
          </ul>
        </Alert>
      ) : null}
      <OciCallPreview {...preview} />
      <div className="form__actions">
        <button type="submit" className="button button--primary" disabled={isPending}>
          {isPending ? 'Saving…' : variant === 'create' ? 'Create route table' : 'Save changes'}
        </button>
        <Link className="button" to={cancelTo}>
          Cancel
        </Link>
      </div>
    </form>
  );
}

function RuleFields({
  index,
  control,
  register,
  errors,
  type,
  deployments,
}: {
  index: number;
  control: Control<RouteTableFormValues>;
  register: UseFormRegister<RouteTableFormValues>;
  errors: Errors;
  type: string;
  deployments: VirtualDeployment[];
}) {
  const destinations = useFieldArray({ control, name: `routeRules.${index}.destinations` });
  const ruleErrors = errors.routeRules?.[index];
  const n = index + 1;
  return (
    <div className="rule-fields">
      <div className="form__grid">
        <SelectField
          label={`Rule ${n} type`}
          error={ruleErrors?.type?.message}
          {...register(`routeRules.${index}.type`, { deps: [`routeRules.${index}.path`] })}
        >
          {RULE_TYPES.map((t) => (
            <option key={t} value={t}>
              {t}
            </option>
          ))}
        </SelectField>
        <TextField
          label={`Rule ${n} path prefix`}
          autoComplete="off"
          disabled={type !== 'HTTP'}
          hint="Starts with /. HTTP only."
          error={ruleErrors?.path?.message}
          {...register(`routeRules.${index}.path`)}
        />
      </div>
      <ArrayField
        legend={`Rule ${n} destinations`}
        item={`rule ${n} destination`}
        rows={destinations.fields}
        max={15}
        error={ruleErrors?.destinations?.message ?? ruleErrors?.destinations?.root?.message}
        emptyText="No destinations."
        onAdd={() =>
          destinations.append(
            { virtualDeploymentId: '', weight: '', port: '' },
            { shouldFocus: true },
          )
        }
        onRemove={(i) => destinations.remove(i)}
        renderRow={(_d, j) => (
          <>
            <SelectField
              label={`Rule ${n} destination ${j + 1} deployment`}
              error={ruleErrors?.destinations?.[j]?.virtualDeploymentId?.message}
              {...register(`routeRules.${index}.destinations.${j}.virtualDeploymentId`)}
            >
              <option value="">Select a deployment…</option>
              {deployments.map((d) => (
                <option key={d.id} value={d.id}>
                  {d.name}
                </option>
              ))}
            </SelectField>
            <TextField
              label={`Rule ${n} destination ${j + 1} weight`}
              inputMode="numeric"
              error={ruleErrors?.destinations?.[j]?.weight?.message}
              {...register(`routeRules.${index}.destinations.${j}.weight`, {
                deps: [`routeRules.${index}.destinations`],
              })}
            />
            <TextField
              label={`Rule ${n} destination ${j + 1} port`}
              inputMode="numeric"
              error={ruleErrors?.destinations?.[j]?.port?.message}
              {...register(`routeRules.${index}.destinations.${j}.port`)}
            />
          </>
        )}
      />
    </div>
  );
}
