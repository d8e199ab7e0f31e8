import { readdirSync } from 'node:fs';
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const consoleFeatures = readdirSync(new URL('./apps/console/src/features', import.meta.url), {
  withFileTypes: true,
})
  .filter((d) => d.isDirectory())
  .map((d) => d.name);

/** Features don't import each other; pages and app/ put them together (STYLE "Folder tree"). */
const featureBoundaries = consoleFeatures.map((feature) => ({
  files: [`apps/console/src/features/${feature}/**/*.{ts,tsx}`],
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: consoleFeatures
          .filter((other) => other !== feature)
          .map((other) => ({
            group: [`**/features/${other}/**`, `../../${other}/**`, `../${other}/**`],
            message: `features/${feature} must not import features/${other}; compose them in app/ or a page`,
          })),
      },
    ],
  },
}));

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      'data/**',
      'test-results/**',
      'playwright-report/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
    },
  },
  {
    files: ['apps/console/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'error',
    },
  },
  {
    files: ['packages/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['node:*', 'express', 'better-sqlite3', 'react'],
              message: 'domain has no I/O',
            },
          ],
        },
      ],
    },
  },
  ...featureBoundaries,
  {
    files: ['apps/console/src/components/**/*.{ts,tsx}', 'apps/console/src/lib/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/features/**', '**/app/**'],
              message: 'components and lib come before features',
            },
          ],
        },
      ],
    },
  },
);
