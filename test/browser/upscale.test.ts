import { expect } from '@esm-bundle/chai';
import { tf } from '../../src/core/tf.js';
import { selectBackend } from '../../src/core/backend/select-backend.js';
import { upscale } from '../../src/core/upscale/upscale.js';
import { upscaleImage } from '../../src/core/upscale/upscale-image.js';
import type { UpscaleProgress } from '../../src/core/upscale/upscale-options.js';
import { AbortError, LwayError, OutOfMemoryError } from '../../src/core/errors.js';
import { psnr } from '../../src/core/metrics/psnr.js';
import type { FetchBytes } from '../../src/core/models/model-definition.js';
import { createTinySrModel } from '../helpers/tiny-sr-model.js';
import { makeTestImage, maxAbsDiff } from '../helpers/test-images.js';

/** Reads a model's files from the dev server (web-test-runner serves the repo root). */
function urlFetchBytes(base: string): FetchBytes {
  return async (path, signal) => {
    const res = await fetch(`${base}/${path}`, { signal });
    if (!res.ok) throw new Error(`${base}/${path}: HTTP ${res.status}`);
    return res.arrayBuffer();
  };
}

async function exists(url: string): Promise<boolean> {
  const res = await fetch(url, { method: 'HEAD' });
  return res.ok;
}

/** Tiny model, tile 8 / overlap 4: the dead zone (1 input px) is under the model's radius (2), hence a bound. */
const TINY_TILED_BOUND = 8;
/**
 * realesr-general-x4v3, tile 10 / overlap 4 on a 12x10 image (two tiles), each read with the default 10 px of
 * context: measured 51.7 dB on SwiftShader WebGPU (37 dB before tiles carried context).
 */
const REAL_TILED_MIN_PSNR_DB = 45;

describe('upscale in Chromium (WebGPU on SwiftShader, tiny tensors)', () => {
  before(async () => {
    expect(await selectBackend('auto')).to.equal('webgpu');
  });

  it('tiny model: tiled matches untiled, progress per tile, no leaks', async () => {
    const model = createTinySrModel({ scale: 2 });
    const image = makeTestImage(12, 10, 4);
    const base = tf.memory().numTensors;
    const whole = await upscale(model, image, { tileSize: 16 });
    const events: UpscaleProgress[] = [];
    const tiled = await upscale(model, image, { tileSize: 8, overlap: 4, onProgress: (p) => events.push(p) });
    expect([tiled.width, tiled.height, tiled.channels]).to.deep.equal([24, 20, 4]);
    const diff = maxAbsDiff(whole.data, tiled.data);
    console.log(`webgpu tiny model tiled (8/4) vs untiled max abs diff: ${diff}`);
    expect(diff).to.be.at.most(TINY_TILED_BOUND);
    expect(events.length).to.equal(4);
    expect(events[3]).to.deep.equal({ stage: 'upscale', done: 4, total: 4 });
    for (let i = 3; i < tiled.data.length; i += 4) expect(tiled.data[i]).to.equal(255);
    expect(tf.memory().numTensors).to.equal(base);
    model.dispose();
  });

  it('cancel after the first tile rejects with AbortError and frees memory', async () => {
    const model = createTinySrModel({ scale: 2 });
    const base = tf.memory().numTensors;
    const controller = new AbortController();
    let error: unknown;
    try {
      await upscale(model, makeTestImage(12, 10), {
        tileSize: 8,
        overlap: 2,
        signal: controller.signal,
        onProgress: () => controller.abort(),
      });
    } catch (err) {
      error = err;
    }
    expect(error).to.be.instanceOf(AbortError);
    expect(tf.memory().numTensors).to.equal(base);
    model.dispose();
  });

  it('upscaleImage with esrgan-slim-x2 (weights fetched from node_modules) reports webgpu', async () => {
    const base = tf.memory().numTensors;
    const result = await upscaleImage('esrgan-slim-x2', makeTestImage(12, 10), {
      fetchBytes: urlFetchBytes('/node_modules/@upscalerjs/esrgan-slim/models/x2'),
      backend: 'auto',
    });
    expect(result.backend).to.equal('webgpu');
    expect([result.pixels.width, result.pixels.height]).to.deep.equal([24, 20]);
    expect(tf.memory().numTensors).to.equal(base);
  });

  it('bad input gets a clear error and leaks nothing: unknown model, empty image, corrupted weights, OOM', async () => {
    await selectBackend('webgpu');
    const base = tf.memory().numTensors;
    const slim = urlFetchBytes('/node_modules/@upscalerjs/esrgan-slim/models/x2');
    const code = async (p: Promise<unknown>): Promise<string> => {
      try {
        await p;
        return 'resolved';
      } catch (err) {
        expect(err).to.be.instanceOf(LwayError);
        return `${(err as LwayError).code}: ${(err as Error).message}`;
      }
    };
    expect(await code(upscaleImage('no-such-model', makeTestImage(4, 4), { fetchBytes: slim }))).to.match(
      /^UNKNOWN_MODEL: .*no-such-model.*Known: /,
    );
    expect(
      await code(
        upscaleImage(
          'esrgan-slim-x2',
          { data: new Uint8Array(0), width: 0, height: 0, channels: 4 },
          { fetchBytes: slim },
        ),
      ),
    ).to.match(/^BAD_INPUT: .*at least 1x1/);
    // Weight shards cut in half: a load error that says so, not a silently wrong image.
    const truncated: FetchBytes = async (path, signal) => {
      const bytes = await slim(path, signal);
      return path.endsWith('.json') ? bytes : bytes.slice(0, Math.floor(bytes.byteLength / 2));
    };
    expect(
      await code(upscaleImage('esrgan-slim-x2', makeTestImage(4, 4), { fetchBytes: truncated })),
    ).to.match(/^MODEL_LOAD: /);
    // A backend allocation failure surfaces as OutOfMemoryError with the advice to lower the tile size.
    const oom = createTinySrModel({
      onPredict: () => {
        throw new Error('GPUOutOfMemoryError: Failed to allocate buffer');
      },
    });
    try {
      await upscale(oom, makeTestImage(8, 8), { tileSize: 8, overlap: 2 });
      expect.fail('should reject');
    } catch (err) {
      expect(err).to.be.instanceOf(OutOfMemoryError);
      expect((err as Error).message).to.match(/lower the tile size/);
    }
    oom.dispose();
    expect(tf.memory().numTensors).to.equal(base);
  });

  it('realesr-general-x4v3: tiled vs untiled on WebGPU, no leaks', async function () {
    if (!(await exists('/models/realesr-general-x4v3/weights.json'))) {
      console.warn('skipped: models/realesr-general-x4v3 missing (run scripts/setup-models.ts)');
      this.skip();
    }
    const fetchBytes = urlFetchBytes('/models/realesr-general-x4v3');
    const image = makeTestImage(12, 10);
    const base = tf.memory().numTensors;
    let backend = '';
    const whole = await upscaleImage('realesr-general-x4v3', image, {
      fetchBytes,
      tileSize: 16,
      onBackend: (b) => (backend = b),
    });
    expect(backend).to.equal('webgpu');
    const tiled = await upscaleImage('realesr-general-x4v3', image, { fetchBytes, tileSize: 10, overlap: 4 });
    expect([tiled.pixels.width, tiled.pixels.height]).to.deep.equal([48, 40]);
    const db = psnr(whole.pixels, tiled.pixels);
    console.log(`webgpu realesr-general-x4v3 tiled (10/4) vs untiled: ${db.toFixed(2)} dB`);
    expect(db).to.be.at.least(REAL_TILED_MIN_PSNR_DB);
    expect(tf.memory().numTensors).to.equal(base);
  });
});
