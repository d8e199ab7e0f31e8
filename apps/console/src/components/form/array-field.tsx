import type { ReactNode } from 'react';
import { FieldError } from '../ui/form-field.tsx';

export interface ArrayFieldProps<R extends { id: string }> {
  legend: string;
  /** Singular noun for buttons: "listener" → "Add listener", "Remove listener 2". */
  item: string;
  rows: R[];
  renderRow: (row: R, index: number) => ReactNode;
  onAdd: () => void;
  onRemove: (index: number) => void;
  max?: number;
  /** The list's own error (e.g. "total weight must be at least 1"). */
  error?: string | undefined;
  emptyText?: string;
}

/**
 * A fieldset of repeated rows with Add and Remove buttons. Every row can be removed, so a list
 * can be emptied (the empty list is sent, not dropped).
 */
export function ArrayField<R extends { id: string }>({
  legend,
  item,
  rows,
  renderRow,
  onAdd,
  onRemove,
  max,
  error,
  emptyText,
}: ArrayFieldProps<R>) {
  return (
    <fieldset className="fieldset">
      <legend>{legend}</legend>
      {rows.length === 0 ? <p className="field__hint">{emptyText ?? `No ${item}s.`}</p> : null}
      <ol className="array-field">
        {rows.map((row, index) => (
          <li key={row.id} className="array-field__row">
            <div className="array-field__fields">{renderRow(row, index)}</div>
            <button
              type="button"
              className="button button--ghost button--small"
              onClick={() => onRemove(index)}
            >
              Remove {item} {index + 1}
            </button>
          </li>
        ))}
      </ol>
      {error ? <FieldError>{error}</FieldError> : null}
      <button
        type="button"
        className="button button--small"
        onClick={onAdd}
        disabled={max !== undefined && rows.length >= max}
      >
        Add {item}
      </button>
    </fieldset>
  );
}
