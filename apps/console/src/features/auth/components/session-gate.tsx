import { useQueryClient } from '@tanstack/react-query';
import { useEffect, type ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';
import { ErrorState } from '../../../components/ui/error-state.tsx';
import { LoadingState } from '../../../components/ui/loading-state.tsx';
import { onUnauthenticated } from '../../../lib/api-client.ts';
import { sessionQueryKey, useSession } from '../../../lib/session.ts';

/**
 * Renders the console only for a signed-in user; otherwise sends them to the sign-in page (or the
 * first-run setup while no one can sign in), remembering where they were going. Any 401 later
 * (the session expired) re-checks the session, which lands here again.
 */
export function SessionGate({ children }: { children: ReactNode }) {
  const session = useSession();
  const queryClient = useQueryClient();
  const location = useLocation();
  useEffect(
    () =>
      onUnauthenticated(() => {
        void queryClient.invalidateQueries({ queryKey: sessionQueryKey });
      }),
    [queryClient],
  );
  if (session.isPending) return <LoadingState label="Checking your session…" />;
  if (session.isError) {
    return <ErrorState error={session.error} onRetry={() => void session.refetch()} />;
  }
  if (!session.data.signedIn) {
    if (session.data.setupRequired) return <Navigate to="/setup" replace />;
    const next = `${location.pathname}${location.search}`;
    return <Navigate to={`/sign-in?next=${encodeURIComponent(next)}`} replace />;
  }
  return <>{children}</>;
}
