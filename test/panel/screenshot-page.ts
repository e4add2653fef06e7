// Browser entry for panel-screenshots.test.ts: hosts <lway-panel> with a fake host and a scripted fake runner so
// each screenshot shows one state (idle, running with the loss curve, before/after). Bundled by esbuild there.
import { resolveAdaptSettings } from '../../src/core/adapt/adapt-options.js';
import type { Pixels } from '../../src/core/pixels.js';
import type {
  JobRequest,
  JobResult,
  JobRunner,
  RunJobOptions,
  WeightMap,
} from '../../src/panel/worker/job-types.js';
import '../../src/panel/lway-panel.js';
import type { ModelSummary } from '../../src/panel/worker/model-summary.js';
import type { PanelSource } from '../../src/panel/panel-host.js';

const MODELS: ModelSummary[] = [
  {
    id: 'realesr-general-x4v3',
    name: 'Real-ESRGAN general v3',
    scales: [4],
    sizeBytes: 4_850_000,
    speedHint: 'fast',
    licence: 'BSD-3-Clause',
  },
];

interface ShotInput {
  readonly state: 'idle' | 'running' | 'result';
  /** Host-provided theme; absent means follow prefers-color-scheme. */
  readonly theme?: 'light' | 'dark';
  readonly source: { width: number; height: number; data: number[] };
  readonly after?: { width: number; height: number; data: number[] };
  readonly weights: number[];
}

function toPixels(p: { width: number; height: number; data: number[] }): Pixels {
  return { width: p.width, height: p.height, channels: 4, data: Uint8ClampedArray.from(p.data) };
}

async function mount(input: ShotInput): Promise<void> {
  const source: PanelSource = {
    layerId: 'L1',
    layerName: 'Flower photo',
    x: 120,
    y: 80,
    isSelection: true,
    pixels: toPixels(input.source),
  };
  let lastAdapt: JobRequest['adapt'];
  const runner: JobRunner = {
    run(request: JobRequest, o: RunJobOptions = {}): Promise<JobResult> {
      lastAdapt = request.adapt;
      o.onBackend?.({ backend: 'webgpu', fastPath: true });
      if (input.state === 'running') {
        // A plausible decaying loss for the first 12 steps, then the job stays "running" for the screenshot.
        void (async () => {
          for (let step = 1; step <= 12; step++) {
            await new Promise((r) => setTimeout(r, 120));
            const loss = 0.05 + 0.04 * Math.exp(-step / 4) + 0.003 * Math.sin(step * 1.7);
            o.onProgress?.({ stage: 'adapt', step, total: request.adapt?.steps ?? 20, loss });
          }
        })();
        return new Promise(() => {});
      }
      return Promise.resolve({
        pixels: toPixels(input.after!),
        backend: 'webgpu',
        reusedAdaptation: false,
        adaptationUnavailable: false,
        notices: [],
        cachedAs: request.adapt ? 'screenshot-key' : undefined,
        adaptedSteps: request.adapt?.steps,
        memoryAfter: { numTensors: 42, numBytes: 4_850_000 },
        elapsedMs: 8400,
      });
    },
    async weightMap(p: Pixels): Promise<WeightMap> {
      return { data: Float32Array.from(input.weights), width: p.width, height: p.height };
    },
    clearCache: async () => {},
    // After a result, the worker holds the adaptation it made (the panel shows the cache line).
    cachedAdaptation: async (_layerId: string, modelId: string) =>
      input.state === 'result' && lastAdapt
        ? { key: 'screenshot-key', backend: 'webgpu', settings: resolveAdaptSettings(lastAdapt, modelId) }
        : null,
    models: async () => MODELS,
    dispose: () => {},
  };
  const el = document.createElement('lway-panel');
  el.runner = runner;
  el.host = { getSource: async () => source, addLayer: async () => {} };
  if (input.theme) el.theme = input.theme;
  document.body.style.background = input.theme === 'dark' ? '#111' : '#ddd';
  document.body.append(el);
  while (!el.source) await new Promise((r) => setTimeout(r, 5));
  await el.updateComplete;
  if (input.state !== 'idle') {
    void el.run();
    // Let the fake progress (12 steps, 120 ms apart) or the result render.
    await new Promise((r) => setTimeout(r, input.state === 'running' ? 1600 : 50));
  }
  await new Promise((r) => setTimeout(r, 200)); // weight map preview debounce
  await el.updateComplete;
}

(globalThis as { lwayScreenshot?: unknown }).lwayScreenshot = { mount };
