import type { Role } from '@meshdeck/domain';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * Where the global setup (e2e/global-setup.ts) keeps each role's signed-in browser state and CSRF
 * token: one folder per E2E_PORT, so several runs on one machine do not overwrite each other.
 */
export const E2E_PORT = Number(process.env.E2E_PORT ?? 8181);
export const AUTH_DIR = fileURLToPath(new URL(`./.auth/${E2E_PORT}/`, import.meta.url));

/** Passwords of the e2e users (a throwaway in-memory database). */
export const E2E_PASSWORD = 'e2e-password-not-secret';
export const E2E_SETUP_TOKEN = 'e2e-setup-token-not-secret';
export const E2E_USERS: Record<Role, string> = {
  admin: 'e2e-admin',
  operator: 'e2e-operator',
  viewer: 'e2e-viewer',
};

export function storageStateFile(role: Role): string {
  return `${AUTH_DIR}${role}.json`;
}

function csrfFile(role: Role): string {
  return `${AUTH_DIR}${role}.csrf`;
}

export { csrfFile };

/** The CSRF token of the session saved in `storageState` (a path from storageStateFile). */
export function csrfTokenForState(storageState: unknown): string | undefined {
  if (typeof storageState !== 'string') return undefined;
  for (const role of Object.keys(E2E_USERS) as Role[]) {
    if (storageState === storageStateFile(role)) {
      try {
        return readFileSync(csrfFile(role), 'utf8').trim();
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}
