import { queryOptions } from '@tanstack/react-query';
import { getResourceWorkRequests } from './work-requests.api.ts';

/** Running work requests move on by themselves; poll while any is unfinished. */
const POLL_MS = 2000;

export const workRequestQueries = {
  all: () => ['work-requests'] as const,
  forResource: (resourceId: string) =>
    queryOptions({
      queryKey: [...workRequestQueries.all(), 'resource', resourceId] as const,
      queryFn: ({ signal }) => getResourceWorkRequests(resourceId, signal),
      refetchInterval: (query) =>
        query.state.data?.items.some((w) => !w.timeFinished) ? POLL_MS : false,
    }),
};
