// Bundles test/browser/**/*.test.ts into build/browser-tests/ for web-test-runner.
// We pre-bundle (instead of letting the dev server resolve modules) because tfjs-backend-wasm's ESM build imports
// CommonJS files and Node built-ins behind runtime guards; esbuild handles both.
import { build } from 'esbuild';
import { readdirSync, statSync, rmSync } from 'node:fs';
import { join } from 'node:path';

function walk(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    // *.worker.ts files are worker entries that tests start with new Worker(new URL('./x.worker.js', import.meta.url)).
    return statSync(path).isDirectory() ? walk(path) : /\.(test|worker)\.ts$/.test(path) ? [path] : [];
  });
}

const filters = process.argv.slice(2);
const entryPoints = walk('test/browser').filter(
  (f) => filters.length === 0 || filters.some((x) => f.includes(x)),
);
// LWAY_BROWSER_TESTS_DIR lets two runs on one machine bundle side by side (web-test-runner --files <dir>/**).
const outdir = process.env.LWAY_BROWSER_TESTS_DIR ?? 'build/browser-tests';
rmSync(outdir, { recursive: true, force: true });
await build({
  entryPoints,
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  outdir,
  outbase: 'test/browser',
  splitting: true,
  sourcemap: 'inline',
  external: ['fs', 'path', 'os', 'crypto', 'worker_threads', 'perf_hooks', 'util', 'url', 'module'],
  logLevel: 'warning',
});
console.log(`bundled ${entryPoints.length} browser test file(s)`);
