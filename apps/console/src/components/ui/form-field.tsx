import { useId, type ComponentProps, type ReactNode } from 'react';

export interface ControlA11y {
  id: string;
  'aria-invalid': boolean;
  'aria-describedby': string | undefined;
}

export interface FieldProps {
  label: ReactNode;
  hint?: ReactNode;
  error?: string | undefined;
  id?: string;
  className?: string;
  children: (control: ControlA11y) => ReactNode;
}

/**
 * A labelled control with its hint and error wired up: a real `<label for>`, `aria-invalid`, and
 * `aria-describedby` pointing at the hint and the error (STYLE step 7).
 */
export function Field({ label, hint, error, id, className, children }: FieldProps) {
  const generated = useId();
  const controlId = id ?? `f${generated}`;
  const hintId = hint ? `${controlId}-hint` : undefined;
  const errorId = error ? `${controlId}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(' ') || undefined;
  return (
    <div className={['field', error ? 'field--invalid' : '', className ?? ''].join(' ').trim()}>
      <label className="field__label" htmlFor={controlId}>
        {label}
      </label>
      {children({ id: controlId, 'aria-invalid': Boolean(error), 'aria-describedby': describedBy })}
      {hint ? (
        <p className="field__hint" id={hintId}>
          {hint}
        </p>
      ) : null}
      {error ? <FieldError id={errorId}>{error}</FieldError> : null}
    </div>
  );
}

export function FieldError({ id, children }: { id?: string | undefined; children: ReactNode }) {
  return (
    <p className="field__error" id={id}>
      <span aria-hidden="true">⚠ </span>
      {children}
    </p>
  );
}

type Common = { label: ReactNode; hint?: ReactNode; error?: string | undefined };

export function TextField({
  label,
  hint,
  error,
  id,
  className,
  ...input
}: Common & ComponentProps<'input'>) {
  return (
    <Field label={label} hint={hint} error={error} id={id} className={className}>
      {(a11y) => <input className="input" {...input} {...a11y} />}
    </Field>
  );
}

export function TextAreaField({
  label,
  hint,
  error,
  id,
  className,
  ...textarea
}: Common & ComponentProps<'textarea'>) {
  return (
    <Field label={label} hint={hint} error={error} id={id} className={className}>
      {(a11y) => <textarea className="input textarea" {...textarea} {...a11y} />}
    </Field>
  );
}

export function SelectField({
  label,
  hint,
  error,
  id,
  className,
  children,
  ...select
}: Common & ComponentProps<'select'>) {
  return (
    <Field label={label} hint={hint} error={error} id={id} className={className}>
      {(a11y) => (
        <select className="input select" {...select} {...a11y}>
          {children}
        </select>
      )}
    </Field>
  );
}
