import { zodResolver } from '@hookform/resolvers/zod';
import { remainingWaitMs, type MtlsMode } from '@meshdeck/domain';
import { useEffect, useId, useMemo, useState } from 'react';
import { useController, useFieldArray, useForm, useWatch, type Control } from 'react-hook-form';
import { Link } from 'react-router';
import { Alert } from '../../../components/ui/alert.tsx';
import { ModeOption } from '../../../components/ui/mode-option.tsx';
import {
  FieldError,
  SelectField,
  TextAreaField,
  TextField,
} from '../../../components/ui/form-field.tsx';
import { isApiError, isStaleVersionError } from '../../../lib/api-error.ts';
import type { MeshChoice } from '../api/virtual-services.api.ts';
import {
  formFieldForServerPath,
  modeChoicesFor,
  virtualServiceFormSchema,
  type DirtyFields,
  type ModeContext,
  type VirtualServiceFormValues,
} from './virtual-service-form-schema.ts';
import { meshOptionLabel } from './mesh-option-label.ts';
import { StaleVersionAlert } from './stale-version-alert.tsx';

export interface VirtualServiceFormProps {
  variant: 'create' | 'edit';
  meshes: MeshChoice[];
  defaultValues: VirtualServiceFormValues;
  /** Existing service (edit): its declared mode and last effective change. */
  current?: { declared: MtlsMode | null; lastChangedAt: string | null };
  /** `dirtyFields` says which fields the user changed (an edit sends only those). */
  onSubmit: (values: VirtualServiceFormValues, dirtyFields: DirtyFields) => void;
  isPending: boolean;
  serverError: unknown;
  /**
   * Fetches the latest version after a 412 (someone else saved first). The parent remounts the
   * form with it, which resets every field.
   */
  onReload?: (() => void) | undefined;
  isReloading?: boolean | undefined;
  cancelTo: string;
}

/** Re-renders when a propagation wait ends, so a greyed-out mode comes back on time (MTLS002). */
function useNowUntil(lastChangedAt: string | null | undefined): Date {
  const [now, setNow] = useState(() => new Date());
  const remaining = remainingWaitMs(lastChangedAt, now);
  useEffect(() => {
    if (remaining <= 0) return;
    const timer = setTimeout(() => setNow(new Date()), Math.min(1000, remaining + 20));
    return () => clearTimeout(timer);
  }, [remaining]);
  return now;
}

/**
 * Create and edit form of a virtual service (presentational, STYLE step 7). The mode choices come
 * from the domain's `virtualServiceModeChoices` for the selected mesh; disallowed ones are disabled
 * and say why. Changing the mesh re-validates the mode at once (case F1).
 */
export function VirtualServiceForm({
  variant,
  meshes,
  defaultValues,
  current,
  onSubmit,
  isPending,
  serverError,
  onReload,
  isReloading,
  cancelTo,
}: VirtualServiceFormProps) {
  const now = useNowUntil(current?.lastChangedAt);
  const context = useMemo<ModeContext>(() => ({ meshes, current, now }), [meshes, current, now]);
  const schema = useMemo(() => virtualServiceFormSchema(context), [context]);

  const {
    register,
    control,
    handleSubmit,
    trigger,
    setError,
    formState: { errors, isSubmitted, dirtyFields },
  } = useForm({
    resolver: zodResolver(schema),
    defaultValues,
    // Field errors appear on submit, then follow every change. Validating on blur would flag a
    // just-added empty host row and shift the layout under the pointer, swallowing the next click.
    mode: 'onSubmit',
    reValidateMode: 'onChange',
  });
  const hosts = useFieldArray({ control, name: 'hosts' });
  const meshId = useWatch({ control, name: 'meshId' });
  const mesh = meshes.find((m) => m.id === meshId);

  // A new mesh may allow or forbid the chosen mode, and the `now` tick may lift a wait: re-check
  // the mode right away rather than when the mode field is next edited (cases F1, F3).
  useEffect(() => {
    if (meshId) void trigger('mode');
  }, [meshId, schema, trigger]);

  const unmapped = useMemo(() => {
    if (!isApiError(serverError)) return [];
    return Object.entries(serverError.fieldErrors).filter(
      ([path]) => formFieldForServerPath(path) === undefined,
    );
  }, [serverError]);

  useEffect(() => {
    if (!isApiError(serverError)) return;
    for (const [path, messages] of Object.entries(serverError.fieldErrors)) {
      const field = formFieldForServerPath(path);
      if (field) setError(field, { type: 'server', message: messages.join('; ') });
    }
  }, [serverError, setError]);

  const hasFieldErrors = isApiError(serverError) && Object.keys(serverError.fieldErrors).length > 0;
  const stale = isStaleVersionError(serverError);
  const hostsError = errors.hosts?.message ?? errors.hosts?.root?.message;

  return (
    <form
      className="form"
      noValidate
      aria-label={variant === 'create' ? 'New virtual service' : 'Edit virtual service'}
      onSubmit={handleSubmit((values) => onSubmit(values, dirtyFields))}
    >
      {stale && onReload ? (
        <StaleVersionAlert
          title="The changes were not saved"
          onReload={onReload}
          isReloading={isReloading}
        />
      ) : serverError && (!hasFieldErrors || unmapped.length > 0) ? (
        <Alert
          title={
            variant === 'create'
              ? 'The virtual service was not created'
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
        {variant === 'create' ? (
          <SelectField label="Mesh" error={errors.meshId?.message} {...register('meshId')}>
            <option value="">Select a mesh…</option>
            {meshes.map((m) => (
              <option key={m.id} value={m.id}>
                {meshOptionLabel(m, meshes)}
              </option>
            ))}
          </SelectField>
        ) : (
          <TextField
            label="Mesh"
            readOnly
            value={mesh ? `${mesh.displayName} (minimum ${mesh.minimum})` : meshId}
            hint="A virtual service cannot move to another mesh."
          />
        )}

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
        <legend>Hosts</legend>
        {hosts.fields.length === 0 ? <p className="field__hint">No hosts.</p> : null}
        <ul className="host-list">
          {hosts.fields.map((field, index) => (
            <li key={field.id} className="host-list__row">
              <TextField
                label={`Host ${index + 1}`}
                placeholder="orders.retail.svc:8080"
                autoComplete="off"
                error={errors.hosts?.[index]?.value?.message}
                {...register(`hosts.${index}.value`)}
              />
              <button
                type="button"
                className="button button--ghost"
                onClick={() => hosts.remove(index)}
              >
                Remove host {index + 1}
              </button>
            </li>
          ))}
        </ul>
        {hostsError ? <FieldError>{hostsError}</FieldError> : null}
        <button
          type="button"
          className="button"
          onClick={() => hosts.append({ value: '' }, { shouldFocus: true })}
          disabled={hosts.fields.length >= 10}
        >
          Add host
        </button>
      </fieldset>

      <div className="form__grid">
        <SelectField
          label="Default routing policy"
          error={errors.defaultRoutingPolicy?.message}
          {...register('defaultRoutingPolicy')}
        >
          <option value="UNIFORM">UNIFORM</option>
          <option value="DENY">DENY</option>
        </SelectField>

        <TextField
          label="Maximum certificate validity (days)"
          type="number"
          inputMode="numeric"
          min={45}
          max={90}
          step={1}
          hint="45–90 days. Leave empty for the default (45)."
          error={errors.maximumValidity?.message}
          {...register('maximumValidity')}
        />
      </div>

      <ModeRadioGroup
        control={control}
        context={context}
        meshId={meshId}
        error={errors.mode?.message}
      />

      <div className="form__actions">
        <button type="submit" className="button button--primary" disabled={isPending}>
          {isPending ? 'Saving…' : variant === 'create' ? 'Create virtual service' : 'Save changes'}
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

/**
 * The mTLS mode as a radio group. Disallowed choices are disabled and carry their reason as
 * visible text tied to the radio by aria-describedby. A checked choice that the mesh no longer
 * allows stays checked and is flagged, never silently submitted (case F3).
 */
function ModeRadioGroup({
  control,
  context,
  meshId,
  error,
}: {
  control: Control<VirtualServiceFormValues>;
  context: ModeContext;
  meshId: string;
  error: string | undefined;
}) {
  const { field } = useController({ control, name: 'mode' });
  const id = useId();
  const choices = modeChoicesFor(meshId, context) ?? [
    { value: 'INHERIT' as const, label: 'Inherit from mesh', allowed: true },
    { value: 'DISABLED' as const, label: 'DISABLED', allowed: true },
    { value: 'PERMISSIVE' as const, label: 'PERMISSIVE', allowed: true },
    { value: 'STRICT' as const, label: 'STRICT', allowed: true },
  ];
  const firstEnabled = choices.find((c) => c.allowed)?.value;
  const errorId = `${id}-error`;
  return (
    <fieldset
      role="radiogroup"
      className={`fieldset mode-group${error ? ' field--invalid' : ''}`}
      aria-describedby={error ? errorId : undefined}
    >
      <legend>mTLS mode</legend>
      {!meshId ? <p className="field__hint">Choose a mesh to see which modes it allows.</p> : null}
      <div className="mode-group__options">
        {choices.map((choice) => {
          const checked = field.value === choice.value;
          return (
            <ModeOption
              key={choice.value}
              groupId={id}
              name={field.name}
              choice={choice}
              checked={checked}
              invalid={checked && Boolean(error)}
              errorId={error ? errorId : undefined}
              inputRef={choice.value === firstEnabled ? field.ref : undefined}
              onChange={() => field.onChange(choice.value)}
              onBlur={field.onBlur}
            />
          );
        })}
      </div>
      {error ? <FieldError id={errorId}>{error}</FieldError> : null}
    </fieldset>
  );
}
