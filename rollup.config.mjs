// Builds the browser bundles into dist/web/: the reference editor, the host SDK, and the plugin (panel + worker)
// when src/panel provides its entries. `npm start` runs this, then scripts/serve.mjs.
//
// TypeScript is stripped by esbuild's transform (a few lines below) rather than @rollup/plugin-typescript: the
// latter type-checks the whole program on every build, which takes minutes on a 2-core machine; `npm run
// typecheck` already does that job.
import { existsSync, mkdirSync, copyFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { transform } from 'esbuild';
import resolve from '@rollup/plugin-node-resolve';
import commonjs from '@rollup/plugin-commonjs';
import { webStaticFiles } from './scripts/web-static-files.mjs';

// LWAY_WEB_OUT lets the e2e tests build elsewhere, so they never race `npm start` over dist/web.
const OUT = process.env.LWAY_WEB_OUT ?? 'dist/web';

/** Entries the panel engineer fills: each is built only if its source exists. */
const PLUGIN_ENTRIES = [
  { input: 'src/panel/main.ts', file: `${OUT}/plugin/panel.js` },
  { input: 'src/panel/worker/main.ts', file: `${OUT}/plugin/worker.js` },
];

/** Static files copied into the output: [from, to]. */
const STATIC = webStaticFiles();

function esbuildTs() {
  return {
    name: 'esbuild-ts',
    async transform(code, id) {
      if (!id.endsWith('.ts')) return null;
      const r = await transform(code, {
        loader: 'ts',
        target: 'es2022',
        sourcemap: true,
        sourcefile: id,
        tsconfigRaw: { compilerOptions: { experimentalDecorators: true, useDefineForClassFields: false } },
      });
      return { code: r.code, map: r.map };
    },
  };
}

function copyStatic() {
  return {
    name: 'copy-static',
    writeBundle() {
      for (const [from, to] of STATIC) {
        if (!existsSync(from)) continue;
        const dest = join(OUT, to);
        mkdirSync(dirname(dest), { recursive: true });
        copyFileSync(from, dest);
      }
    },
  };
}

const plugins = () => [
  // `.js` import specifiers point at `.ts` sources (NodeNext style).
  {
    name: 'ts-js-specifiers',
    async resolveId(source, importer) {
      if (!importer || !source.startsWith('.') || !source.endsWith('.js')) return null;
      const ts = join(dirname(importer), source.replace(/\.js$/, '.ts'));
      return existsSync(ts) ? ts : null;
    },
  },
  resolve({ browser: true, extensions: ['.mjs', '.js', '.ts', '.json'] }),
  commonjs(),
  esbuildTs(),
];

const onwarn = (warning, warn) => {
  // TF.js and zod trip these harmlessly.
  if (['CIRCULAR_DEPENDENCY', 'THIS_IS_UNDEFINED', 'EVAL', 'INVALID_ANNOTATION'].includes(warning.code))
    return;
  warn(warning);
};

/**
 * Core's modules have no import side effects (kernels and backends are registered by explicit calls, see
 * STYLE.md), so a bundle keeps only the core modules it uses: the panel's page imports core's index for its
 * settings and errors without pulling TF.js into the main thread.
 */
const CORE_SOURCE = /[\\/]src[\\/]core[\\/]/;
const treeshake = { moduleSideEffects: (id) => !CORE_SOURCE.test(id) || /[\\/]core[\\/]tf\.ts$/.test(id) };

const entry = (input, file, extra = []) => ({
  input,
  output: { file, format: 'es', sourcemap: true, inlineDynamicImports: true },
  plugins: [...plugins(), ...extra],
  treeshake,
  onwarn,
});

export default [
  entry('editor/main.ts', `${OUT}/editor.js`, [copyStatic()]),
  entry('src/bridge/host-sdk/index.ts', `${OUT}/lway-host-sdk.js`),
  ...PLUGIN_ENTRIES.filter((e) => existsSync(e.input)).map((e) => entry(e.input, e.file)),
];
