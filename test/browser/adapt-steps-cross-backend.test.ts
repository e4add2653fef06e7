// Gradients agree across backends (browser half): the same 2 LWay adaptation steps as the Node test
// (test/core/adapt/adapt-steps-cross-backend.test.ts: x4v3 on a 32x32 crop, trained stage-1 R, LPIPS-alex on) on
// webgl and webgpu in Chromium (both on SwiftShader here), each compared with the cpu backend in the same page for
// loss, gradients, updated weights and the update itself: relative error < 1e-3.
import { expect } from '@esm-bundle/chai';
import { tf } from '../../src/core/tf.js';
import { selectBackend } from '../../src/core/backend/select-backend.js';
import type { FetchBytes } from '../../src/core/models/model-definition.js';
import {
  compareTraces,
  runCrossBackendCase,
  worstError,
  type AdaptStepSources,
  type AdaptStepTrace,
} from '../helpers/adapt-steps.js';

function urlFetchBytes(base: string): FetchBytes {
  return async (path, signal) => {
    const res = await fetch(`${base}/${path}`, { signal });
    if (!res.ok) throw new Error(`${base}/${path}: HTTP ${res.status}`);
    return res.arrayBuffer();
  };
}

const sources: AdaptStepSources = {
  model: urlFetchBytes('/models/realesr-general-x4v3'),
  stage1: urlFetchBytes('/models/lway-degradation/x4'),
  lpips: urlFetchBytes('/models/lpips'),
};

async function missing(): Promise<string | undefined> {
  for (const [url, why] of [
    ['/models/realesr-general-x4v3/weights.json', 'models/realesr-general-x4v3 missing (run npm run build)'],
    ['/models/lpips/alex.weights.json', 'models/lpips missing (the LPIPS weights the product ships)'],
  ]) {
    if (!(await fetch(url, { method: 'HEAD' })).ok) return why;
  }
  return undefined;
}

describe('2 adaptation steps (x4v3, R, LPIPS) agree with cpu in Chromium', function () {
  let cpu: AdaptStepTrace | undefined;

  before(async function () {
    const why = await missing();
    if (why) {
      console.warn(`skipped: ${why}`);
      this.skip();
    }
    await selectBackend('cpu');
    cpu = await runCrossBackendCase(sources);
    expect(cpu.losses[1]).to.be.below(cpu.losses[0]);
    expect(cpu.grads[0].some((g) => g !== 0)).to.equal(true);
  });

  for (const backend of ['webgl', 'webgpu'] as const) {
    it(`${backend}: loss, gradients, updated weights within 1e-3 of cpu`, async () => {
      expect(await selectBackend(backend)).to.equal(backend);
      const before = tf.memory().numTensors;
      const got = await runCrossBackendCase(sources);
      expect(tf.memory().numTensors, 'tensors leaked').to.equal(before);
      const errors = compareTraces(got, cpu!);
      console.warn(`${backend} vs cpu: ${JSON.stringify(errors)}`);
      expect(worstError(errors), JSON.stringify(errors)).to.be.below(1e-3);
    });
  }
});
