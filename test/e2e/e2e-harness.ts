// Shared setup of the e2e tests: build the editor (rollup) and the test pages (esbuild), serve them on an
// ephemeral 127.0.0.1 port, and launch headless Chromium with playwright-core.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { build } from 'esbuild';
import { chromium, type Browser } from 'playwright-core';
// @ts-expect-error plain JS module without types
import { startServer } from '../../scripts/serve.mjs';

// @ts-expect-error plain JS module without types
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../scripts/chromium-args.mjs';

export { CHROMIUM_ARGS, CHROMIUM_PATH };
const E2E_OUT = 'dist/e2e';
/** Where the e2e tests have rollup build the web app (not dist/web, which `npm start` owns). */
const WEB_OUT = 'dist/e2e-web';

/** Whether e2e can run here; the reason when not. */
export function e2eSkipReason(): string | false {
  return existsSync(CHROMIUM_PATH) ? false : `no Chromium at ${CHROMIUM_PATH} (set CHROMIUM_PATH)`;
}

/** Builds dist/web with rollup (once per process) and the e2e test pages into dist/e2e. */
export async function buildAll(): Promise<void> {
  // LWAY_E2E_SKIP_ROLLUP=1 reuses an existing build (rollup takes ~45 s here, mostly bundling TF.js).
  if (process.env.LWAY_E2E_SKIP_ROLLUP !== '1' || !existsSync(`${WEB_OUT}/editor.js`)) rollupBuild();
  await build({
    entryPoints: {
      'test-plugin/plugin': 'test/e2e/test-plugin/main.ts',
      'test-plugin/echo-worker': 'test/e2e/test-plugin/echo-worker.ts',
      'photopea/host': 'test/e2e/photopea-host/main.ts',
      'tui/host': 'test/e2e/tui-host/main.ts',
    },
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    outdir: E2E_OUT,
    // fabric (under tui-image-editor) requires jsdom/canvas only under Node.
    external: [
      ...['fs', 'path', 'os', 'crypto', 'worker_threads', 'perf_hooks', 'util', 'url', 'module'],
      ...['jsdom', 'jsdom/*', 'canvas'],
    ],
    logLevel: 'error',
  });
  mkdirSync(`${E2E_OUT}/tui`, { recursive: true });
  copyFileSync('test/e2e/tui-host/index.html', `${E2E_OUT}/tui/index.html`);
  mkdirSync(`${E2E_OUT}/test-plugin`, { recursive: true });
  mkdirSync(`${E2E_OUT}/photopea`, { recursive: true });
  copyFileSync('test/e2e/test-plugin/index.html', `${E2E_OUT}/test-plugin/index.html`);
  copyFileSync('test/e2e/photopea-host/index.html', `${E2E_OUT}/photopea/index.html`);
  // The test plugin's manifests: the real one, pointed at the test page (and one that cancels its own run).
  const manifest = JSON.parse(readFileSync('manifest.json', 'utf8')) as Record<string, unknown>;
  writeFileSync(`${E2E_OUT}/test-plugin/manifest.json`, JSON.stringify({ ...manifest, main: 'index.html' }));
  writeFileSync(
    `${E2E_OUT}/test-plugin/manifest-cancel.json`,
    JSON.stringify({ ...manifest, main: 'index.html?cancelAfterTiles=1' }),
  );
  writeFileSync(
    `${E2E_OUT}/test-plugin/manifest-readonly.json`,
    JSON.stringify({ ...manifest, main: 'index.html', permissions: ['layer:read', 'selection:read'] }),
  );
}

function rollupBuild(): void {
  const r = spawnSync(process.execPath, ['node_modules/rollup/dist/bin/rollup', '-c', '--silent'], {
    encoding: 'utf8',
    env: { ...process.env, LWAY_WEB_OUT: WEB_OUT },
  });
  if (r.status !== 0) throw new Error(`rollup failed:\n${r.stderr}`);
}

/** Serves the web build at /, dist/e2e at /e2e/, models/ at /models/. */
export async function serve(): Promise<{ url: string; close: () => Promise<void> }> {
  return startServer({ port: 0, mounts: { '/e2e/': E2E_OUT, '/models/': 'models', '/': WEB_OUT } });
}

export function launch(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
}
