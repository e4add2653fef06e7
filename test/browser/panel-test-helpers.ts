// Shared helpers of the panel's browser tests: test images, a fake host, mounting panels over a test worker, and
// finding elements through shadow roots.
import type { Pixels } from '../../src/core/pixels.js';
import type { JobRequest, JobResult, JobRunner } from '../../src/panel/worker/job-types.js';
import type { LwayPanel } from '../../src/panel/lway-panel.js';
import '../../src/panel/lway-panel.js'; // registers <lway-panel> for mount()
import type { AddLayerOptions, PanelHost, PanelSource } from '../../src/panel/panel-host.js';
import { WorkerJobRunner } from '../../src/panel/worker-job-runner.js';

export function gradient(width: number, height: number): Pixels {
  const data = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const i = 4 * (y * width + x);
      data.set([(x * 37) % 256, (y * 53) % 256, ((x + y) * 19) % 256, 255], i);
    }
  return { data, width, height, channels: 4 };
}

/** A host that serves `source` and records the layers the panel adds. */
export class FakeHost implements PanelHost {
  added: { pixels: Pixels; options: AddLayerOptions }[] = [];
  constructor(public source: PanelSource) {}
  async getSource(): Promise<PanelSource> {
    return this.source;
  }
  async addLayer(pixels: Pixels, options: AddLayerOptions): Promise<void> {
    this.added.push({ pixels, options });
  }
}

/** A selection of a gradient test image on layer L1. */
export function source(width = 8, height = 6): PanelSource {
  return {
    layerId: 'L1',
    layerName: 'Photo',
    x: 30,
    y: 40,
    isSelection: true,
    pixels: gradient(width, height),
  };
}

/** A finished job whose result is a copy of the request's pixels: what fake runners answer. */
export function echoResult(request: JobRequest, backend: JobResult['backend']): JobResult {
  return {
    pixels: { ...request.pixels, data: new Uint8ClampedArray(request.pixels.data) },
    backend,
    reusedAdaptation: false,
    adaptationUnavailable: false,
    notices: [],
    memoryAfter: { numTensors: 0, numBytes: 0 },
    elapsedMs: 1,
  };
}

export const mounted: LwayPanel[] = [];
export const runners: JobRunner[] = [];

export async function mount(runner: JobRunner, host: PanelHost): Promise<LwayPanel> {
  const el = document.createElement('lway-panel');
  el.runner = runner;
  el.host = host;
  document.body.append(el);
  mounted.push(el);
  await until(() => el.source !== undefined && el.settings.modelId !== '');
  await el.updateComplete;
  return el;
}

export function workerRunner(query: string): WorkerJobRunner {
  const url = new URL(`./panel-test.worker.js?${query}`, import.meta.url);
  const r = new WorkerJobRunner(new Worker(url, { type: 'module' }));
  runners.push(r);
  return r;
}

export async function until(cond: () => boolean, timeoutMs = 20000): Promise<void> {
  const end = performance.now() + timeoutMs;
  while (!cond()) {
    if (performance.now() > end) throw new Error(`timed out waiting for ${cond}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Finds an element through the panel's and its children's shadow roots. */
export function deep<T extends Element = HTMLElement>(root: Element, selector: string): T | null {
  const search = (node: ParentNode): T | null => {
    const hit = node.querySelector<T>(selector);
    if (hit) return hit;
    for (const el of node.querySelectorAll('*')) {
      if (el.shadowRoot) {
        const found = search(el.shadowRoot);
        if (found) return found;
      }
    }
    return null;
  };
  return root.shadowRoot ? search(root.shadowRoot) : null;
}

export function must<T extends Element = HTMLElement>(root: Element, selector: string): T {
  const el = deep<T>(root, selector);
  if (!el) throw new Error(`no ${selector} in the panel`);
  return el;
}

export async function settle(el: LwayPanel): Promise<void> {
  for (let i = 0; i < 3; i++) {
    await el.updateComplete;
    await new Promise((r) => setTimeout(r, 0));
  }
}

export function setInput(
  input: HTMLInputElement | HTMLSelectElement,
  value: string,
  type: 'input' | 'change',
): void {
  input.value = value;
  input.dispatchEvent(new Event(type, { bubbles: true, composed: true }));
}

/** Removes the panels mounted and stops the runners started since the last call (an afterEach). */
export function cleanupPanels(): void {
  for (const el of mounted.splice(0)) el.remove();
  for (const r of runners.splice(0)) r.dispose();
}
