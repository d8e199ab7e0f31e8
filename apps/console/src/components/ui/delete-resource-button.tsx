import type { ConsoleResourceKind } from '@meshdeck/domain';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { errorMessage, isStaleVersionError } from '../../lib/api-error.ts';
import { deleteResource, getDependants } from '../../lib/resources-api.ts';
import { ConfirmDeleteDialog, kindLabel } from './confirm-delete-dialog.tsx';

/**
 * A Delete button that asks first: the dialog lists what depends on the resource
 * (`GET /api/<kind>/:id/dependants`) and deletes the version on screen (`if-match`).
 */
export function DeleteResourceButton({
  kind,
  id,
  name,
  etag,
  onDeleted,
}: {
  kind: ConsoleResourceKind;
  id: string;
  name: string;
  etag: string | undefined;
  onDeleted: () => void | Promise<void>;
}) {
  const [open, setOpen] = useState(false);
  const queryClient = useQueryClient();
  const dependants = useQuery({
    queryKey: ['dependants', kind, id],
    queryFn: ({ signal }) => getDependants(kind, id, signal),
    enabled: open,
    staleTime: 0,
  });
  const remove = useMutation({
    mutationFn: () => deleteResource(kind, id, etag),
    onSuccess: async () => {
      setOpen(false);
      await onDeleted();
      // A delete changes lists, counts and the graph: nothing cached about them still holds.
      void queryClient.invalidateQueries();
    },
    // Someone changed it since the page was read: fetch the latest version (its new etag) so the
    // operator sees what they would delete before trying again.
    onError: (error) => {
      if (isStaleVersionError(error)) void queryClient.invalidateQueries();
    },
  });
  return (
    <>
      <button
        type="button"
        className="button button--danger"
        onClick={() => {
          remove.reset();
          setOpen(true);
        }}
      >
        Delete
      </button>
      <ConfirmDeleteDialog
        open={open}
        resourceLabel={`${kindLabel(kind)} ${name}`}
        dependants={dependants.data?.items ?? []}
        loadingDependants={dependants.isPending}
        busy={remove.isPending}
        error={
          remove.error
            ? isStaleVersionError(remove.error)
              ? 'It was changed by someone else since you opened it. The page now shows the latest version: check it, then delete again.'
              : errorMessage(remove.error)
            : dependants.error
              ? errorMessage(dependants.error)
              : undefined
        }
        onConfirm={() => remove.mutate()}
        onCancel={() => setOpen(false)}
      />
    </>
  );
}
