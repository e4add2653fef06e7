import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { JobProgress, JobResult, JobRunner } from '../../src/panel/worker/job-types.js';
import { withProgressReporting } from '../../src/panel/with-progress-reporting.js';

test('withProgressReporting passes each progress event to the panel and to the reporter, in order', async () => {
  const calls: string[] = [];
  const inner: JobRunner = {
    async run(_req, o = {}) {
      o.onProgress?.({ stage: 'adapt', step: 1, total: 2, loss: 0.3 });
      o.onProgress?.({ stage: 'upscale', step: 2, total: 2 });
      calls.push('run');
      return { backend: 'wasm' } as JobResult;
    },
    weightMap: async () => ({ data: new Float32Array(0), width: 0, height: 0 }),
    models: async () => [],
    clearCache: async (k) => void calls.push(`clear:${k}`),
    cachedAdaptation: async (layerId, modelId) => (calls.push(`cached:${layerId}:${modelId}`), null),
    dispose: () => void calls.push('dispose'),
  };
  const reported: JobProgress[] = [];
  const panelSeen: JobProgress[] = [];
  const wrapped = withProgressReporting(inner, (p) => reported.push(p));
  const pixels = { data: new Uint8Array(3), width: 1, height: 1, channels: 3 as const };
  const r = await wrapped.run(
    { modelId: 'm', scale: 4, tileSize: 64, pixels },
    { onProgress: (p) => panelSeen.push(p) },
  );
  assert.equal(r.backend, 'wasm');
  assert.deepEqual(
    reported.map((p) => `${p.stage}:${p.step}`),
    ['adapt:1', 'upscale:2'],
  );
  assert.deepEqual(panelSeen, reported);
  await wrapped.clearCache('k');
  await wrapped.cachedAdaptation('L', 'm');
  wrapped.dispose();
  assert.deepEqual(calls, ['run', 'clear:k', 'cached:L:m', 'dispose']);
});
