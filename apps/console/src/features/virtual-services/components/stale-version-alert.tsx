import { Alert } from '../../../components/ui/alert.tsx';

export const STALE_VERSION_MESSAGE =
  'This virtual service was changed by someone else since you opened it. Reload to see the latest version.';

/**
 * The answer to a 412 `NoEtagMatch`: the write named the version the page was opened on, and
 * someone else has written since. Reloading fetches the latest version (and its etag).
 */
export function StaleVersionAlert({
  title,
  onReload,
  isReloading = false,
}: {
  title: string;
  onReload: () => void;
  isReloading?: boolean | undefined;
}) {
  return (
    <Alert title={title}>
      <p>{STALE_VERSION_MESSAGE}</p>
      <button type="button" className="button" onClick={onReload} disabled={isReloading}>
        {isReloading ? 'Reloading…' : 'Reload'}
      </button>
    </Alert>
  );
}
