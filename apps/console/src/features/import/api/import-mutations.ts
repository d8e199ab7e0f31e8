import { useMutation } from '@tanstack/react-query';
import { importConfiguration, type ImportRequest } from './import.api.ts';

/** Meshes and topology refresh through the app-wide invalidation after any write. */
export function useImportConfiguration() {
  return useMutation({
    mutationFn: (input: ImportRequest) => importConfiguration(input),
  });
}
