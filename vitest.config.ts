import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'domain',
          include: ['packages/domain/src/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'bff',
          include: ['apps/bff/src/**/*.test.ts'],
          environment: 'node',
          setupFiles: ['apps/bff/src/testing/vitest-setup.ts'],
          testTimeout: 20000,
        },
      },
      {
        test: {
          name: 'console',
          include: ['apps/console/src/**/*.test.{ts,tsx}'],
          environment: 'jsdom',
          setupFiles: ['apps/console/src/test/setup.ts'],
        },
      },
    ],
  },
});
