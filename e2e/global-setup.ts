import { request, type FullConfig } from '@playwright/test';
import type { Role } from '@meshdeck/domain';
import { mkdirSync, writeFileSync } from 'node:fs';
import {
  AUTH_DIR,
  csrfFile,
  E2E_PASSWORD,
  E2E_SETUP_TOKEN,
  E2E_USERS,
  storageStateFile,
} from './auth-files.ts';

/**
 * Signs in once for the whole run: the first-run setup makes `e2e-admin` (with the setup token the
 * webServer env sets), the admin adds `e2e-operator` and `e2e-viewer`, and each role's cookies and
 * CSRF token are saved. Specs run as the operator (playwright.config.ts `storageState`);
 * `test.use({ storageState: storageStateFile('viewer') })` switches.
 */
export default async function globalSetup(config: FullConfig): Promise<void> {
  const baseURL = config.projects[0]?.use.baseURL as string;
  mkdirSync(AUTH_DIR, { recursive: true });

  const save = async (role: Role, context: Awaited<ReturnType<typeof request.newContext>>) => {
    const session = (await (await context.get('/api/session')).json()) as { csrfToken?: string };
    if (!session.csrfToken) throw new Error(`the ${role} is not signed in`);
    await context.storageState({ path: storageStateFile(role) });
    writeFileSync(csrfFile(role), session.csrfToken);
  };

  const admin = await request.newContext({ baseURL });
  const setup = await admin.post('/api/setup', {
    data: { token: E2E_SETUP_TOKEN, name: E2E_USERS.admin, password: E2E_PASSWORD },
  });
  if (setup.status() !== 201) {
    throw new Error(`first-run setup failed: ${setup.status()} ${await setup.text()}`);
  }
  const { csrfToken } = (await setup.json()) as { csrfToken: string };
  for (const role of ['operator', 'viewer'] as const) {
    const res = await admin.post('/api/users', {
      data: { name: E2E_USERS[role], role, password: E2E_PASSWORD },
      headers: { 'x-csrf-token': csrfToken },
    });
    if (res.status() !== 201) throw new Error(`creating ${role}: ${await res.text()}`);
    const context = await request.newContext({ baseURL });
    const signIn = await context.post('/api/session', {
      data: { name: E2E_USERS[role], password: E2E_PASSWORD },
    });
    if (signIn.status() !== 201) throw new Error(`${role} sign-in: ${await signIn.text()}`);
    await save(role, context);
    await context.dispose();
  }
  await save('admin', admin);
  await admin.dispose();
}
