// One linter for the repo: typed rules from typescript-eslint, including no-floating-promises.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { layersRule } from './server/lint/layers.js';

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**', '.data/**', '.demo-data/**', 'server/drizzle/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: {
          allowDefaultProject: ['eslint.config.js', 'server/lint/*.js', 'client-sdk/bin/*.js'],
        },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false } }],
      '@typescript-eslint/consistent-type-definitions': ['error', 'type'],
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  // server/src imports only downwards (docs/architecture.md).
  {
    files: ['server/src/**/*.ts'],
    plugins: { ccx: { rules: { layers: layersRule } } },
    rules: { 'ccx/layers': 'error' },
  },
  {
    files: ['eslint.config.js', 'server/lint/*.js', 'client-sdk/bin/*.js'],
    ...tseslint.configs.disableTypeChecked,
  },
);
