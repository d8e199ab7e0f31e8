import { defineConfig, devices } from '@playwright/test';
import { E2E_PORT, E2E_SETUP_TOKEN, storageStateFile } from './e2e/auth-files.ts';

const port = E2E_PORT;

/**
 * End-to-end journeys in Debian's Chromium (`apt-get install chromium`): Playwright's own browser
 * download cannot work on machines without internet access.
 */
export default defineConfig({
  testDir: 'e2e',
  // Creates the e2e admin, operator and viewer and saves their sessions (e2e/global-setup.ts).
  globalSetup: './e2e/global-setup.ts',
  timeout: 30_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: process.env.CI ? [['list']] : [['list']],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    trace: 'retain-on-failure',
    ...devices['Desktop Chrome'],
    viewport: { width: 1400, height: 900 },
    // Every spec runs signed in as the e2e operator unless it says otherwise.
    storageState: storageStateFile('operator'),
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--no-first-run',
      ],
    },
  },
  webServer: {
    command: 'node --import tsx apps/bff/src/server.ts',
    url: `http://127.0.0.1:${port}/api/health`,
    reuseExistingServer: false,
    timeout: 60_000,
    env: {
      PORT: String(port),
      HOST: '127.0.0.1',
      MESHDECK_DB: ':memory:',
      MESHDECK_DEMO: '1',
      // The fixtures seed through the OCI face without signing (docs/api.md "Unsigned calls").
      MESHDECK_OCI_AUTH: 'none',
      // The global setup makes the first admin with it.
      MESHDECK_SETUP_TOKEN: E2E_SETUP_TOKEN,
    },
  },
});
