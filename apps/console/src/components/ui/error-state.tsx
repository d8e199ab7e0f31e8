import { errorMessage } from '../../lib/api-error.ts';

export interface ErrorStateProps {
  title?: string;
  error: unknown;
  onRetry?: () => void;
}

/** A failed load with the server's message and a retry button. */
export function ErrorState({
  title = 'Could not load this page',
  error,
  onRetry,
}: ErrorStateProps) {
  return (
    <div className="state state--error" role="alert">
      <strong>{title}</strong>
      <p>{errorMessage(error)}</p>
      {onRetry ? (
        <button type="button" className="button" onClick={onRetry}>
          Retry
        </button>
      ) : null}
    </div>
  );
}
