// Shared setup of the panel's e2e tests: bundle the reference editor, the real panel and its worker with esbuild
// (seconds, instead of the full rollup build), and find the panel's sandboxed iframe in the editor page.
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { build } from 'esbuild';
import type { Frame, Page } from 'playwright-core';
// @ts-expect-error plain JS module without types
import { webStaticFiles } from '../../scripts/web-static-files.mjs';

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
