import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

/** An import into `folder` (a regex) other than its index.js. */
const throughIndex = (folder, index) => ({
  regex: `(^|/)${folder}/(?!index\\.js$)`,
  message: `Import through ${index}, the folder's public API.`,
});
/** Core runs in browsers, workers and Node: no DOM, no Node built-ins, nothing from the areas above it. */
const CORE_BASE = {
  group: ['**/bridge/**', '**/panel/**', 'node:*', 'fs', 'path', 'sharp', 'lit', 'lit/*'],
  message: 'core has no DOM and no Node built-ins, and imports nothing above it.',
};
/** From src/core/*.ts into a room: its index. */
const CORE_ROOM_FROM_TOP = {
  regex: '^\\./[a-z0-9-]+/(?!index\\.js$)',
  message: "Import a core room through its index.ts, the room's public API.",
};
/** From one core room into another (../x/ or ../../x/): that room's index. */
const CORE_ROOM_FROM_ROOM = {
  regex: '^(\\.\\./)+[a-z0-9-]+/(?!index\\.js$)',
  message: "Import another core room through its index.ts, the room's public API.",
};

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
  // Import direction is one way: panel -> bridge/core; bridge -> protocol types only; core -> nothing above it.
  // And every cross-folder import goes through the folder's index.ts, its public API (STYLE.md): core from outside
  // through src/core/index.ts, one core room from another through the room's index.ts, likewise node, bridge and
  // the panel's worker; the worker imports nothing from the page side. (One no-restricted-imports per file group:
  // a later block would replace, not add to, an earlier one's patterns.)
  {
    files: ['src/core/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [CORE_BASE, CORE_ROOM_FROM_TOP] }] },
  },
  {
    files: ['src/core/*/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [CORE_BASE, CORE_ROOM_FROM_ROOM] }] },
  },
  {
    files: ['src/bridge/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/panel/**', '**/core/**/!(*.types).js'],
              message: 'The bridge imports protocol types only.',
            },
            throughIndex('(host-sdk|adapters/photopea)', "that folder's index.ts"),
          ],
        },
      ],
    },
  },
  {
    files: ['src/panel/worker/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            throughIndex('core', 'src/core/index.ts'),
            throughIndex('bridge', 'src/bridge/index.ts'),
            {
              regex: '^\\.\\./(?!\\.\\./)',
              message: 'The worker imports nothing from the page side (src/panel/*).',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/panel/**/*.ts'],
    ignores: ['src/panel/worker/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            throughIndex('core', 'src/core/index.ts'),
            throughIndex('bridge', 'src/bridge/index.ts'),
            throughIndex('worker', 'src/panel/worker/index.ts'),
          ],
        },
      ],
    },
  },
  {
    files: ['src/cli/**/*.ts', 'src/node/**/*.ts', 'editor/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            throughIndex('core', 'src/core/index.ts'),
            throughIndex('bridge', 'src/bridge/index.ts'),
            throughIndex('node', 'src/node/index.ts'),
          ],
        },
      ],
    },
  },
  {
    files: ['scripts/**', 'bench/**', 'bin/**', 'test/**', 'src/cli/**', 'src/node/**'],
    rules: { 'no-console': 'off' },
  },
);
