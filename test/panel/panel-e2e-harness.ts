// Shared setup of the panel's e2e tests: bundle the reference editor, the real panel and its worker with esbuild
// (seconds, instead of the full rollup build), and find the panel's sandboxed iframe in the editor page.
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { build } from 'esbuild';
import { chromium, type Frame, type Page } from 'playwright-core';
// @ts-expect-error plain JS module without types
import { startServer } from '../../scripts/serve.mjs';
// @ts-expect-error plain JS module without types
import { webStaticFiles } from '../../scripts/web-static-files.mjs';

/** The Chromium the panel e2e tests drive (Debian's by default). */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Bundles editor.js, plugin/panel.js, plugin/worker.js and the static web files into `out` (emptied first). */
export async function bundlePanelEditor(out: string): Promise<void> {
  rmSync(out, { recursive: true, force: true });
  await build({
    entryPoints: {
      editor: 'editor/main.ts',
      'plugin/panel': 'src/panel/main.ts',
      'plugin/worker': 'src/panel/worker/main.ts',
    },
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    outdir: out,
    external: ['fs', 'path', 'os', 'crypto', 'worker_threads', 'perf_hooks', 'util', 'url', 'module'],
    logLevel: 'error',
  });
  const files = webStaticFiles() as [string, string][];
  for (const [from, to] of files) {
    mkdirSync(dirname(join(out, to)), { recursive: true });
    copyFileSync(from, join(out, to));
  }
}

/** The panel's iframe, once it has navigated to the plugin page and parsed it. */
export async function pluginFrame(page: Page): Promise<Frame> {
  // The iframe may exist before it has navigated to the plugin page: wait for the page itself.
  let frame = page.frames().find((f) => f.url().includes('/plugin/'));
  for (let i = 0; !frame && i < 300; i++) {
    await page.waitForTimeout(100);
    frame = page.frames().find((f) => f.url().includes('/plugin/'));
  }
  assert.ok(frame, 'plugin iframe');
  await frame.waitForLoadState('domcontentloaded');
  return frame;
}

/** What the e2e tests read of the panel element inside the iframe. */
export type Panel = HTMLElement & {
  refreshSource(): Promise<void>;
  run(): Promise<void>;
  settings: Record<string, unknown>;
  models?: readonly { id: string; scales: readonly number[] }[];
  source?: { x: number; y: number; pixels: { width: number; height: number } };
  job: {
    phase: string;
    error?: unknown;
    progress?: { stage: string; step: number };
    result?: {
      backend: string;
      adaptedSteps?: number;
      notices: string[];
      pixels: { width: number; height: number; data: Uint8Array };
    };
  };
};

/** Opens the editor page at `url`, sets the document's selection and waits for the panel to list its models. */
export async function openEditorWithSelection(
  page: Page,
  url: string,
  selection: { x: number; y: number; width: number; height: number },
): Promise<Frame> {
  await page.goto(`${url}index.html`);
  await page.waitForFunction(() => 'lwayEditor' in window);
  await page.evaluate(async (sel) => {
    const ed = (
      window as unknown as {
        lwayEditor: { ready: Promise<unknown>; doc: { setSelection(r: object): void } };
      }
    ).lwayEditor;
    await ed.ready;
    ed.doc.setSelection(sel);
  }, selection);
  const frame = await pluginFrame(page);
  await frame.waitForFunction(
    () => (document.querySelector('lway-panel') as unknown as Panel | null)?.settings?.modelId,
    undefined,
    { timeout: 60000 },
  );
  return frame;
}

/**
 * Bundles the editor and panel into `out`, serves it with models/ at /models/ (as `npm start` does), opens a
 * headless Chromium page and runs `body` with the page, the server's URL and the page errors seen so far; closes
 * the browser and the server afterwards.
 */
export async function withPanelEditorPage<T>(
  out: string,
  body: (page: Page, url: string, errors: string[]) => Promise<T>,
): Promise<T> {
  await bundlePanelEditor(out);
  const server = (await startServer({ port: 0, mounts: { '/models/': 'models', '/': out } })) as {
    url: string;
    close: () => Promise<void>;
  };
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu-sandbox', '--enable-unsafe-webgpu'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    return await body(page, server.url, errors);
  } finally {
    await browser.close();
    await server.close();
  }
}
