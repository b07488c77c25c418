import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const electronOnlyIn = ['main/adapters/**', 'main/index.ts', 'main/window.ts', 'main/ipc.ts', 'preload/**'];

export default tseslint.config(
  {
    ignores: [
      'node_modules/**',
      '.tools/**',
      'out/**',
      'dist/**',
      'release/**',
      'test-results/**',
      'playwright-report/**',
      'bench-results/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
      globals: { ...globals.node },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      // Port implementations are async by contract even when this one has nothing to await.
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { attributes: false } }],
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-empty': ['error', { allowEmptyCatch: false }],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    extends: [tseslint.configs.disableTypeChecked],
  },
  // House rules: who may import what (ARCHITECTURE.md).
  {
    files: ['main/**/*.ts', 'common/**/*.ts', 'renderer/**/*.{ts,tsx}'],
    ignores: electronOnlyIn,
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'electron',
              message:
                'Only main/adapters, main/index.ts, main/window.ts, main/ipc.ts and preload/ import electron.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['common/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: ['electron', 'react', 'fs', 'path'],
          patterns: [
            { group: ['node:*'], message: 'common/ runs in both processes: no Node built-ins.' },
            { group: ['**/main/**', '**/renderer/**'] },
          ],
        },
      ],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': [
        'error',
        {
          paths: ['electron'],
          patterns: [
            { group: ['node:*'] },
            { group: ['**/main/**'], message: 'Go through window.api and common/.' },
          ],
        },
      ],
    },
  },
);
