import { PROPAGATION_DELAY_SECONDS } from '@meshdeck/domain';
import { useEffect, useState } from 'react';

/**
 * The server's clock, as the page last heard it (`serverNow`, received at `receivedAt` by the
 * browser's clock), moved on by the browser's own clock since then. It ticks once a second until
 * the server instant `until` (ms), so a countdown stops by itself. Waits are timed on the server
 * (case A10): a browser whose clock is off still counts down the wait the BFF enforces.
 */
export function useServerNow(
  serverNow: string | undefined,
  receivedAt: number,
  until: number | null,
): Date {
  const [clientNow, setClientNow] = useState(() => Date.now());
  const offset = serverNow ? Date.parse(serverNow) - receivedAt : 0;
  const now = Math.max(clientNow, receivedAt) + offset;
  const ticking = until !== null && now < until;
  useEffect(() => {
    if (!ticking) return;
    const timer = setInterval(() => setClientNow(Date.now()), 1_000);
    return () => clearInterval(timer);
  }, [ticking]);
  return new Date(now);
}

/** Whole seconds from `now` until `at` (0 once passed). */
export function secondsUntil(at: string | null | undefined, now: Date): number {
  if (!at) return 0;
  return Math.max(0, Math.ceil((Date.parse(at) - now.getTime()) / 1000));
}

/** When the last of these changes has propagated (ms), or null when there is none. */
export function propagatedAt(changes: readonly (string | null | undefined)[]): number | null {
  const times = changes.filter((c): c is string => Boolean(c)).map((c) => Date.parse(c));
  return times.length === 0 ? null : Math.max(...times) + PROPAGATION_DELAY_SECONDS * 1000;
}
