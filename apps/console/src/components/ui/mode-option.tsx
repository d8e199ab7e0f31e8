import type { ModeChoice } from '@meshdeck/domain';
import type { ReactNode, Ref } from 'react';

/**
 * One choice of an mTLS mode radio group (service mode or mesh minimum). A choice the domain does
 * not allow is disabled and described by its reason, so every greyed choice says why.
 */
export function ModeOption({
  groupId,
  name,
  choice,
  checked,
  onChange,
  onBlur,
  inputRef,
  invalid = false,
  errorId,
  labelSuffix = '',
  children,
}: {
  groupId: string;
  name: string;
  choice: ModeChoice;
  checked: boolean;
  onChange: () => void;
  onBlur?: () => void;
  inputRef?: Ref<HTMLInputElement> | undefined;
  invalid?: boolean;
  /** The group's error message, added to the description of the checked choice. */
  errorId?: string | undefined;
  labelSuffix?: string;
  /** Extra controls after the reason (e.g. "Plan a staged migration"). */
  children?: ReactNode;
}) {
  const radioId = `${groupId}-${choice.value}`;
  const reasonId = `${radioId}-reason`;
  const describedBy =
    [choice.allowed ? '' : reasonId, checked && errorId ? errorId : ''].filter(Boolean).join(' ') ||
    undefined;
  return (
    <div className={`mode-option${choice.allowed ? '' : ' mode-option--disabled'}`}>
      <input
        type="radio"
        id={radioId}
        name={name}
        value={choice.value}
        checked={checked}
        disabled={!choice.allowed}
        aria-invalid={invalid || undefined}
        aria-describedby={describedBy}
        ref={inputRef}
        onChange={onChange}
        onBlur={onBlur}
      />
      <label htmlFor={radioId}>
        {choice.label}
        {labelSuffix}
      </label>
      {choice.allowed ? null : (
        <span className="mode-option__reason" id={reasonId}>
          {choice.reason}
        </span>
      )}
      {children}
    </div>
  );
}
