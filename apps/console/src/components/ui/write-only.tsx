import type { ReactNode } from 'react';

/**
 * Write controls (New, Edit, Delete). TODO(#6): render nothing for viewers with
 * `useCan('write')` from lib once sign-in and roles land; every CRUD page wraps its write buttons
 * here so that is a change in one place. The BFF refuses a viewer's writes either way.
 */
export function WriteOnly({ children }: { children: ReactNode }) {
  return <>{children}</>;
}
