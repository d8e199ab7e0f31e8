import type { ReactNode } from 'react';
import { useCan } from '../../lib/session.ts';

/**
 * Write controls (New, Edit, Delete): rendered only for roles that may write (operators and
 * admins, `useCan('write')`). Every CRUD page wraps its write buttons here, so viewers never see
 * them; the BFF refuses a viewer's writes either way.
 */
export function WriteOnly({ children }: { children: ReactNode }) {
  return useCan('write') ? <>{children}</> : null;
}
