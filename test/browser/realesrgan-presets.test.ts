import { expect } from '@esm-bundle/chai';
import { tf } from '../../src/core/tf.js';
import { selectBackend } from '../../src/core/backend/select-backend.js';
import type { FetchBytes } from '../../src/core/models/model-definition.js';
import { REALESR_GENERAL_X4V3 } from '../../src/core/models/realesrgan-presets.js';
import { RrdbNet, rrdbNetSpecs, type RrdbConfig } from '../../src/core/models/rrdb-net.js';
import type { SrModel } from '../../src/core/models/sr-model.js';

/** Reads a model's files from the dev server (web-test-runner serves the repo root). */
function urlFetchBytes(base: string): FetchBytes {
  return async (path, signal) => {
    const res = await fetch(`${base}/${path}`, { signal });
    if (!res.ok) throw new Error(`${base}/${path}: HTTP ${res.status}`);
    return res.arrayBuffer();
  };
}

/** Builds a model on `backend`, runs it on a seeded input, returns the output values; frees everything. */
async function forwardOn(
  backend: 'webgpu' | 'cpu',
  build: () => Promise<SrModel> | SrModel,
  shape: [number, number, number, number],
): Promise<Float32Array> {
  await selectBackend(backend);
  const base = tf.memory().numTensors;
  const model = await build();
  const x = tf.randomUniform(shape, 0, 1, 'float32', 4) as tf.Tensor4D;
  const y = model.predict(x);
  const values = (await y.data()) as Float32Array;
  tf.dispose([x, y]);
  model.dispose();
  expect(tf.memory().numTensors, `${backend} leaks`).to.equal(base);
  return values;
}

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  expect(a.length).to.equal(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

// WebGPU here is SwiftShader (~0.2 GFLOPS): inputs stay tiny. Correctness against the ncnn binary is checked in Node.
describe('Real-ESRGAN architectures in Chromium: WebGPU agrees with cpu', () => {
  it('realesr-general-x4v3 (converted weights fetched over HTTP), fused conv + PReLU', async function () {
    const head = await fetch('/models/realesr-general-x4v3/weights.json', { method: 'HEAD' });
    if (!head.ok) {
      console.warn('skipped: models/realesr-general-x4v3 missing (run npm run build)');
      this.skip();
    }
    const load = () =>
      REALESR_GENERAL_X4V3.load({ fetchBytes: urlFetchBytes('/models/realesr-general-x4v3') });
    const gpu = await forwardOn('webgpu', load, [1, 10, 12, 3]);
    const cpu = await forwardOn('cpu', load, [1, 10, 12, 3]);
    expect(gpu.length).to.equal(40 * 48 * 3);
    expect(maxAbsDiff(gpu, cpu)).to.be.below(1e-3);
  });

  it('RRDBNet (tiny, seeded weights): fused conv + LeakyReLU, dense concats, nearest x2 upsampling', async () => {
    const config: RrdbConfig = { numInCh: 3, numOutCh: 3, numFeat: 8, numBlock: 2, numGrowCh: 4 };
    const build = () => {
      const tensors = rrdbNetSpecs(config).map((s, i) =>
        tf.randomNormal([...s.shape], 0, 0.2, 'float32', i + 1),
      );
      const model = new RrdbNet('tiny-rrdb', config, tensors);
      tf.dispose(tensors);
      return model;
    };
    const gpu = await forwardOn('webgpu', build, [1, 6, 5, 3]);
    const cpu = await forwardOn('cpu', build, [1, 6, 5, 3]);
    expect(maxAbsDiff(gpu, cpu)).to.be.below(1e-3);
  });
});
