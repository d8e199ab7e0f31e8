import { zodResolver } from '@hookform/resolvers/zod';
import type { VirtualServiceView } from '@meshdeck/domain';
import { useFieldArray, useForm, useWatch } from 'react-hook-form';
import { Link } from 'react-router';
import { ArrayField } from '../../../components/form/array-field.tsx';
import { FormServerAlert } from '../../../components/form/form-alert.tsx';
import { useServerFieldErrors } from '../../../components/form/server-errors.ts';
import { SelectField, TextAreaField, TextField } from '../../../components/ui/form-field.tsx';
import { OciCallPreview } from '../../../components/ui/oci-call-preview.tsx';
import { ociCallFor } from '../../../lib/oci-call.ts';
import {
  LISTENER_PROTOCOLS,
  toVirtualDeploymentCreate,
  toVirtualDeploymentUpdate,
  vdFormPathOf,
  virtualDeploymentFormSchema,
  type VirtualDeploymentDirty,
  type VirtualDeploymentFormValues,
} from './virtual-deployment-form-schema.ts';

export interface VirtualDeploymentFormProps {
  variant: 'create' | 'edit';
  /** The id being edited (edit), for the OCI call preview. */
  id?: string | undefined;
  services: VirtualServiceView[];
  defaultValues: VirtualDeploymentFormValues;
  onSubmit: (values: VirtualDeploymentFormValues, dirty: VirtualDeploymentDirty) => void;
  isPending: boolean;
  serverError: unknown;
  onReload?: (() => void) | undefined;
  cancelTo: string;
}

/** Create and edit form of a virtual deployment: discovery, listeners, access logging. */
export function VirtualDeploymentForm({
  variant,
  id,
  services,
  defaultValues,
  onSubmit,
  isPending,
  serverError,
  onReload,
  cancelTo,
}: VirtualDeploymentFormProps) {
  const {
    register,
    control,
    handleSubmit,
    setError,
    formState: { errors, dirtyFields },
  } = useForm({
    resolver: zodResolver(virtualDeploymentFormSchema),
    defaultValues,
    mode: 'onSubmit',
    reValidateMode: 'onChange',
  });
  const listeners = useFieldArray({ control, name: 'listeners' });
  const values = useWatch({ control }) as VirtualDeploymentFormValues;
  const unmapped = useServerFieldErrors(serverError, setError, vdFormPathOf);
  const service = services.find((s) => s.id === values.virtualServiceId);
  const preview =
    variant === 'create'
      ? ociCallFor('VirtualDeployment', 'create', {
          body: toVirtualDeploymentCreate(values, service?.compartmentId ?? '<compartmentId>'),
        })
      : ociCallFor('VirtualDeployment', 'update', {
          id,
          body: toVirtualDeploymentUpdate(values, dirtyFields as VirtualDeploymentDirty),
        });
  const listenersError = errors.listeners?.message ?? errors.listeners?.root?.message;

  return (
    <form
      className="form"
      noValidate
      aria-label={variant === 'create' ? 'New virtual deployment' : 'Edit virtual deployment'}
      onSubmit={handleSubmit((v) => onSubmit(v, dirtyFields as VirtualDeploymentDirty))}
    >
      <FormServerAlert
        error={serverError}
        title={
          variant === 'create'
            ? 'The virtual deployment was not created'
            : 'The changes were not saved'
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
            hint="A deployment cannot move to another service."
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
      </div>
      <TextAreaField
        label="Description"
        rows={2}
        error={errors.description?.message}
        {...register('description')}
      />
      <fieldset className="fieldset">
        <legend>Service discovery</legend>
        <div className="form__grid">
          <SelectField
            label="Discovery type"
            {...register('discoveryType', { deps: ['hostname'] })}
          >
            <option value="DNS">DNS</option>
            <option value="DISABLED">DISABLED</option>
          </SelectField>
          <TextField
            label="Hostname"
            autoComplete="off"
            placeholder="reviews-v1.bookinfo.svc.cluster.local"
            disabled={values.discoveryType !== 'DNS'}
            error={errors.hostname?.message}
            {...register('hostname')}
          />
        </div>
      </fieldset>
      <ArrayField
        legend="Listeners"
        item="listener"
        rows={listeners.fields}
        max={10}
        error={listenersError}
        emptyText="No listeners: the deployment receives no traffic."
        onAdd={() =>
          listeners.append(
            { protocol: 'HTTP', port: '', requestTimeoutInMs: '', idleTimeoutInMs: '' },
            { shouldFocus: true },
          )
        }
        onRemove={(i) => listeners.remove(i)}
        renderRow={(_row, i) => (
          <>
            <SelectField
              label={`Listener ${i + 1} protocol`}
              error={errors.listeners?.[i]?.protocol?.message}
              {...register(`listeners.${i}.protocol`)}
            >
              {LISTENER_PROTOCOLS.map((p) => (
                <option key={p} value={p}>
                  {p}
                </option>
              ))}
            </SelectField>
            <TextField
              label={`Listener ${i + 1} port`}
              inputMode="numeric"
              error={errors.listeners?.[i]?.port?.message}
              {...register(`listeners.${i}.port`)}
            />
            <TextField
              label={`Listener ${i + 1} request timeout (ms)`}
              inputMode="numeric"
              error={errors.listeners?.[i]?.requestTimeoutInMs?.message}
              {...register(`listeners.${i}.requestTimeoutInMs`)}
            />
            <TextField
              label={`Listener ${i + 1} idle timeout (ms)`}
              inputMode="numeric"
              error={errors.listeners?.[i]?.idleTimeoutInMs?.message}
              {...register(`listeners.${i}.idleTimeoutInMs`)}
            />
          </>
        )}
      />
      <div className="field field--checkbox">
        <label>
          <input type="checkbox" {...register('accessLogging')} /> Access logging
        </label>
      </div>
      <OciCallPreview {...preview} />
      <div className="form__actions">
        <button type="submit" className="button button--primary" disabled={isPending}>
          {isPending ? 'Saving…' : variant === 'create' ? 'Create deployment' : 'Save changes'}
        </button>
        <Link className="button" to={cancelTo}>
          Cancel
        </Link>
      </div>
    </form>
  );
}
