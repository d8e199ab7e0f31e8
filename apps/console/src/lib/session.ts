import type { Permission, SessionView } from '@meshdeck/domain';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { request, setCsrfToken } from './api-client.ts';

export const sessionQueryKey = ['session'] as const;

/** `GET /api/session`; keeps the CSRF token for the api client's writes. */
export async function fetchSession(): Promise<SessionView> {
  const session = await request<SessionView>('/api/session');
  setCsrfToken(session.signedIn ? session.csrfToken : undefined);
  return session;
}

export const sessionQuery = queryOptions({
  queryKey: sessionQueryKey,
  queryFn: fetchSession,
  staleTime: 60_000,
});

/** Who is signed in (or that no one is, and whether the first-run setup is open). */
export function useSession() {
  return useQuery(sessionQuery);
}

/**
 * Whether the signed-in user's role allows `permission`: `read` (everyone), `write` (operators and
 * admins: mesh resources), `admin` (users and API keys). Hide what it cannot do; the BFF refuses
 * it either way.
 */
export function useCan(permission: Permission): boolean {
  const { data } = useSession();
  return data?.signedIn === true && data.permissions.includes(permission);
}
