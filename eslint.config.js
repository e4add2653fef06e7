import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'build/', 'out/', 'models/', 'test/fixtures/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  prettier,
  {
    languageOptions: {
      globals: {
        console: 'readonly',
        process: 'readonly',
        URL: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
      },
    },
    rules: {
      'no-console': ['error', { allow: ['warn', 'error'] }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // Import direction is one way: panel -> bridge/core; bridge -> protocol types only; core -> nothing above it.
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: ['**/bridge/**', '**/panel/**', 'node:*', 'fs', 'path', 'sharp', 'lit', 'lit/*'] },
      ],
    },
  },
  {
    files: ['src/bridge/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: ['**/panel/**', '**/core/**/!(*.types).js'] }] },
  },
  {
    files: ['scripts/**', 'bench/**', 'bin/**', 'test/**', 'src/cli/**', 'src/node/**'],
    rules: { 'no-console': 'off' },
  },
);
