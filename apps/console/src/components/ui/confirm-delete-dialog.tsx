import { useEffect, useId, useRef } from 'react';

export interface Dependant {
  kind: string;
  name: string;
}

export interface ConfirmDeleteDialogProps {
  open: boolean;
  /** What is deleted, e.g. "virtual deployment reviews-v1". */
  resourceLabel: string;
  /** Live resources the delete would affect; the BFF refuses it while there are any. */
  dependants: readonly Dependant[];
  /** Still finding out what depends on it. */
  loadingDependants?: boolean | undefined;
  onConfirm: () => void;
  onCancel: () => void;
  busy?: boolean | undefined;
  /** Why the last attempt failed (shown in the dialog). */
  error?: string | undefined;
}

/** "VirtualServiceRouteTable" → "virtual service route table". */
export function kindLabel(kind: string): string {
  return kind.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
}

/**
 * A modal that names what is deleted and what else it affects. A native `<dialog>` opened with
 * `showModal()`: the page behind is inert (focus stays inside), Escape cancels, and focus returns
 * to the button that opened it. Delete stays disabled while dependants exist, since the BFF would
 * refuse it (409); the list says what to delete first.
 */
export function ConfirmDeleteDialog({
  open,
  resourceLabel,
  dependants,
  loadingDependants = false,
  onConfirm,
  onCancel,
  busy = false,
  error,
}: ConfirmDeleteDialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const bodyId = useId();
  const cancelRef = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) {
      // Without showModal (older engines, jsdom) the dialog still opens, just not modal.
      if (typeof dialog.showModal === 'function') dialog.showModal();
      else dialog.setAttribute('open', '');
      cancelRef.current?.focus();
    } else if (!open && dialog.open) {
      if (typeof dialog.close === 'function') dialog.close();
      else dialog.removeAttribute('open');
    }
  }, [open]);

  const blocked = dependants.length > 0;
  return (
    <dialog
      ref={ref}
      className="dialog"
      aria-labelledby={titleId}
      aria-describedby={bodyId}
      onCancel={(event) => {
        event.preventDefault();
        if (!busy) onCancel();
      }}
    >
      <h2 id={titleId} className="dialog__title">
        Delete {resourceLabel}?
      </h2>
      <div id={bodyId}>
        {loadingDependants ? (
          <p role="status">Checking what depends on it…</p>
        ) : blocked ? (
          <>
            <p>
              It cannot be deleted while these use it. Delete or change them first (
              {dependants.length}):
            </p>
            <ul className="dialog__list" aria-label="Affected resources">
              {dependants.map((d) => (
                <li key={`${d.kind}:${d.name}`}>
                  {kindLabel(d.kind)} <strong>{d.name}</strong>
                </li>
              ))}
            </ul>
          </>
        ) : (
          <p>Nothing else uses it. This cannot be undone.</p>
        )}
        {error ? (
          <p className="field__error" role="alert">
            {error}
          </p>
        ) : null}
      </div>
      <div className="dialog__actions">
        <button ref={cancelRef} type="button" className="button" onClick={onCancel} disabled={busy}>
          Cancel
        </button>
        <button
          type="button"
          className="button button--danger"
          onClick={onConfirm}
          disabled={busy || blocked || loadingDependants}
        >
          {busy ? 'Deleting…' : 'Delete'}
        </button>
      </div>
    </dialog>
  );
}
