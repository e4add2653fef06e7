// Shared setup of the e2e tests: build the editor (rollup) and the test pages (esbuild), serve them on an
// ephemeral 127.0.0.1 port, and launch headless Chromium with playwright-core.
import { spawnSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { after, before } from 'node:test';
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
  // Rollup takes ~45 s here (mostly bundling TF.js), and every e2e file calls buildAll: rebuild only when a source
  // is newer than the last build. LWAY_E2E_SKIP_ROLLUP=1 reuses any existing build.
  const skipAsked = process.env.LWAY_E2E_SKIP_ROLLUP === '1' && existsSync(`${WEB_OUT}/editor.js`);
  if (!skipAsked && !webBuildIsFresh()) rollupBuild();
  await build({
    entryPoints: {
      'test-plugin/plugin': 'test/e2e/test-plugin/main.ts',
      'test-plugin/echo-worker': 'test/e2e/test-plugin/echo-worker.ts',
      'photopea/host': 'test/e2e/photopea-host/main.ts',
      'tui/host': 'test/e2e/tui-host/main.ts',
      'session-host/host': 'test/e2e/session-host/main.ts',
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
  copyFileSync('test/e2e/test-plugin/spy.html', `${E2E_OUT}/test-plugin/spy.html`);
  mkdirSync(`${E2E_OUT}/session-host`, { recursive: true });
  copyFileSync('test/e2e/session-host/index.html', `${E2E_OUT}/session-host/index.html`);
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

/** Written after a successful rollup build; its time is the build's. */
const WEB_STAMP = `${WEB_OUT}/.build-stamp`;
/** What the web build is made from. */
const WEB_INPUTS = [
  'src',
  'editor',
  'rollup.config.mjs',
  'scripts/web-static-files.mjs',
  'manifest.json',
  'package-lock.json',
];

function newestMtime(path: string): number {
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  return Math.max(st.mtimeMs, ...readdirSync(path).map((name) => newestMtime(join(path, name))));
}

function webBuildIsFresh(): boolean {
  if (!existsSync(WEB_STAMP)) return false;
  const built = statSync(WEB_STAMP).mtimeMs;
  return WEB_INPUTS.every((p) => !existsSync(p) || newestMtime(p) < built);
}

function rollupBuild(): void {
  rmSync(WEB_STAMP, { force: true });
  const started = new Date(); // a source saved during the build is newer than the stamp: rebuilt next time
  const r = spawnSync(process.execPath, ['node_modules/rollup/dist/bin/rollup', '-c', '--silent'], {
    encoding: 'utf8',
    env: { ...process.env, LWAY_WEB_OUT: WEB_OUT },
  });
  if (r.status !== 0) throw new Error(`rollup failed:\n${r.stderr}`);
  writeFileSync(WEB_STAMP, started.toISOString());
  utimesSync(WEB_STAMP, started, started);
}

/** Serves the web build at /, dist/e2e at /e2e/, models/ at /models/. */
export async function serve(): Promise<{ url: string; close: () => Promise<void> }> {
  return startServer({ port: 0, mounts: { '/e2e/': E2E_OUT, '/models/': 'models', '/': WEB_OUT } });
}

export function launch(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
}

/** What an e2e suite gets from {@link useEditorSuite}: read them inside tests, after the suite's set-up ran. */
export interface EditorSuite {
  readonly browser: Browser;
  readonly server: { url: string; close: () => Promise<void> };
}

/**
 * Registers the suite's set-up and tear-down: build everything, serve it and launch Chromium once before the
 * suite's tests; close both after them. Call it at the top of a `describe`.
 */
export function useEditorSuite(): EditorSuite {
  let browser: Browser | undefined;
  let server: EditorSuite['server'] | undefined;
  before(async () => {
    await buildAll();
    server = await serve();
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });
  const ready = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`the e2e suite's ${what} is read before its set-up ran`);
    return value;
  };
  return {
    get browser() {
      return ready(browser, 'browser');
    },
    get server() {
      return ready(server, 'server');
    },
  };
}
