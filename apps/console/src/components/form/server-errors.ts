import type { FieldErrors } from '@meshdeck/domain';
import { useEffect, useMemo } from 'react';
import type { FieldValues, Path, UseFormSetError } from 'react-hook-form';
import { isApiError } from '../../lib/api-error.ts';

/** A server field path (`routeRules[0].destinations[1].weight`) as a form path (`routeRules.0…`). */
export function toFormPath(serverPath: string): string {
  return serverPath.replace(/\[(\d+)\]/g, '.$1');
}

/**
 * Puts each field error of a 4xx answer on its field (`setError` by path). `formPathOf` says
 * where a server path lands (default: the same path, if `isField` knows it); the rest come back
 * so the form can list them in its alert.
 */
export function useServerFieldErrors<T extends FieldValues>(
  serverError: unknown,
  setError: UseFormSetError<T>,
  formPathOf: (serverPath: string) => string | undefined,
): [string, string[]][] {
  const fieldErrors: FieldErrors = useMemo(
    () => (isApiError(serverError) ? serverError.fieldErrors : {}),
    [serverError],
  );
  useEffect(() => {
    for (const [path, messages] of Object.entries(fieldErrors)) {
      const target = formPathOf(path);
      if (target) {
        setError(
          target as Path<T>,
          { type: 'server', message: messages.join('; ') },
          {
            shouldFocus: false,
          },
        );
      }
    }
    // formPathOf is a plain function of the form; the errors are what change.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [fieldErrors, setError]);
  return Object.entries(fieldErrors).filter(([path]) => formPathOf(path) === undefined);
}

/** A `dirtyFields` entry: `true`, or an array/object with a dirty entry inside. */
export function isDirty(entry: unknown): boolean {
  if (entry === true) return true;
  if (Array.isArray(entry)) return entry.some(isDirty);
  if (entry && typeof entry === 'object') return Object.values(entry).some(isDirty);
  return false;
}
