import { isApiError, isStaleVersionError } from '../../lib/api-error.ts';
import { Alert } from '../ui/alert.tsx';

/**
 * The alert above a form after a failed save: a stale version (412) with a reload button, or the
 * server's message with the field errors that have no field in the form. Field errors that do
 * have a field are shown there instead.
 */
export function FormServerAlert({
  error,
  title,
  unmapped,
  onReload,
}: {
  error: unknown;
  title: string;
  unmapped: [string, string[]][];
  onReload?: (() => void) | undefined;
}) {
  if (!error) return null;
  if (isStaleVersionError(error)) {
    return (
      <Alert title={title}>
        <p>Someone else changed it since you opened it. Reload to see their version.</p>
        {onReload ? (
          <button type="button" className="button" onClick={onReload}>
            Reload
          </button>
        ) : null}
      </Alert>
    );
  }
  const hasFieldErrors = isApiError(error) && Object.keys(error.fieldErrors).length > 0;
  if (hasFieldErrors && unmapped.length === 0) return null;
  return (
    <Alert title={title}>
      <p>{error instanceof Error ? error.message : 'Something went wrong'}</p>
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
  );
}
