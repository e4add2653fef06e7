// The weight-map preview must recompute (a worker round trip with a pixel copy) only when the source or the
// strength changes, not on every panel render: a job's progress updates re-render the panel many times.
import { expect } from '@esm-bundle/chai';
import type { Pixels } from '../../src/core/pixels.js';
import type {
  JobRequest,
  JobResult,
  JobRunner,
  RunJobOptions,
  WeightMap,
} from '../../src/panel/worker/job-types.js';
import '../../src/panel/lway-panel.js';
import type { LwayPanel } from '../../src/panel/lway-panel.js';
import type { PanelSource } from '../../src/panel/panel-host.js';
import { MODELS } from './panel-fake-engines.js';
import { cleanupPanels, echoResult, FakeHost, mount } from './panel-test-helpers.js';

/** Longer than the preview's debounce (60 ms), so each re-render would get its own computation. */
const UPDATE_GAP_MS = 100;
const PROGRESS_UPDATES = 5;

function flat(width: number, height: number, value: number): Pixels {
  return { data: new Uint8ClampedArray(width * height * 4).fill(value), width, height, channels: 4 };
}

function sourceOf(pixels: Pixels): PanelSource {
  return { layerId: 'L1', layerName: 'Photo', x: 0, y: 0, isSelection: true, pixels };
}

/** Counts weight-map computations; its jobs report progress every UPDATE_GAP_MS. */
class CountingRunner implements JobRunner {
  weightMaps: { strength: number; width: number }[] = [];
  async run(request: JobRequest, o: RunJobOptions = {}): Promise<JobResult> {
    for (let step = 1; step <= PROGRESS_UPDATES; step++) {
      await new Promise((r) => setTimeout(r, UPDATE_GAP_MS));
      o.onProgress?.({ stage: 'adapt', step, total: PROGRESS_UPDATES, loss: 1 / step });
    }
    return echoResult(request, 'cpu');
  }
  async weightMap(p: Pixels, strength: number): Promise<WeightMap> {
    this.weightMaps.push({ strength, width: p.width });
    return { data: new Float32Array(p.width * p.height).fill(strength), width: p.width, height: p.height };
  }
  async clearCache(): Promise<void> {}
  async cachedAdaptation(): Promise<null> {
    return null;
  }
  async models() {
    return MODELS;
  }
  dispose(): void {}
}

type Preview = HTMLElement & { mapReady: Promise<void> };

function preview(el: LwayPanel): Preview {
  const p = el.shadowRoot?.querySelector('lway-weight-preview') as Preview | null;
  if (!p) throw new Error('no weight preview');
  return p;
}

/** Waits out the preview's debounce and any computation it started. */
async function quiet(el: LwayPanel): Promise<void> {
  await el.updateComplete;
  await new Promise((r) => setTimeout(r, 2 * UPDATE_GAP_MS));
  await preview(el).mapReady;
}

describe('lway-weight-preview recomputation', () => {
  it('computes once per source and strength, not once per progress update', async () => {
    const runner = new CountingRunner();
    const host = new FakeHost(sourceOf(flat(6, 4, 100)));
    const el = await mount(runner, host);
    try {
      el.settings = { ...el.settings, adaptEnabled: true };
      await quiet(el);
      expect(runner.weightMaps.length).to.equal(1);

      let renders = 0;
      const original = el.requestUpdate.bind(el);
      el.requestUpdate = (...args: Parameters<LwayPanel['requestUpdate']>) => {
        renders++;
        return original(...args);
      };
      await el.run();
      await quiet(el);
      expect(el.job.phase).to.equal('result');
      expect(renders).to.be.at.least(PROGRESS_UPDATES, 'progress updates re-rendered the panel');
      expect(runner.weightMaps.length).to.equal(1, 'a job with progress updates computes no new map');

      const first = runner.weightMaps[0].strength;
      el.settings = { ...el.settings, strength: first === 0.3 ? 0.4 : 0.3 };
      await quiet(el);
      expect(runner.weightMaps.map((m) => m.strength)).to.deep.equal([first, el.settings.strength]);

      host.source = sourceOf(flat(5, 3, 50));
      await el.refreshSource();
      await quiet(el);
      expect(runner.weightMaps.map((m) => m.width)).to.deep.equal([6, 6, 5]);
    } finally {
      cleanupPanels();
    }
  });
});
