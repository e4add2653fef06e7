import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { tf } from '../../src/core/tf.js';
import { selectBackend } from '../../src/core/backend/select-backend.js';
import { upscale } from '../../src/core/upscale/upscale.js';
import type { UpscaleProgress } from '../../src/core/upscale/upscale-options.js';
import { AbortError, LwayError, OutOfMemoryError } from '../../src/core/errors.js';
import type { Pixels } from '../../src/core/pixels.js';
import { createTinySrModel } from '../helpers/tiny-sr-model.js';
import { makeTestImage, maxAbsDiff } from '../helpers/test-images.js';

before(async () => {
  await selectBackend('wasm');
});

/** Tiled vs untiled (overlap 8 >= 3x the tiny model's receptive radius): the blend gives 0 weight where a tile lacks context, so they agree to rounding (observed: 0). */
const TILED_BOUND = 1;

test('tiled output matches untiled output within the stated bound, and has the right size', async () => {
  const model = createTinySrModel({ scale: 2 });
  const image = makeTestImage(70, 53);
  const base = tf.memory().numTensors;
  const whole = await upscale(model, image, { tileSize: 128 });
  const tiled = await upscale(model, image, { tileSize: 24, overlap: 8 });
  assert.equal(tiled.width, 140);
  assert.equal(tiled.height, 106);
  assert.equal(tiled.channels, 3);
  const diff = maxAbsDiff(whole.data, tiled.data);
  assert.ok(diff <= TILED_BOUND, `max abs diff ${diff} > ${TILED_BOUND}`);
  console.log(`tiled (24/8) vs untiled max abs diff: ${diff}`);
  assert.equal(tf.memory().numTensors, base);
  model.dispose();
});

test('no seam: the error next to tile boundaries is no worse than elsewhere', async () => {
  const model = createTinySrModel({ scale: 2 });
  const image = makeTestImage(48, 48);
  const whole = await upscale(model, image, { tileSize: 64 });
  const tiled = await upscale(model, image, { tileSize: 20, overlap: 8 });
  // Along every output column the mean absolute error stays under half a level.
  for (let x = 0; x < whole.width; x++) {
    let sum = 0;
    for (let y = 0; y < whole.height; y++) {
      for (let k = 0; k < 3; k++) {
        const i = (y * whole.width + x) * 3 + k;
        sum += Math.abs(whole.data[i] - tiled.data[i]);
      }
    }
    assert.ok(sum / (whole.height * 3) < 0.5, `column ${x} mean error ${sum / (whole.height * 3)}`);
  }
  model.dispose();
});

test('progress: one event per tile, done counts up to total', async () => {
  const model = createTinySrModel({ scale: 2 });
  const events: UpscaleProgress[] = [];
  await upscale(model, makeTestImage(40, 30), {
    tileSize: 16,
    overlap: 4,
    onProgress: (p) => events.push(p),
  });
  // 40 wide: 3 columns; 30 high: 3 rows at tile 16 / overlap 4.
  assert.equal(events.length, 9);
  events.forEach((e, i) => assert.deepEqual(e, { stage: 'upscale', done: i + 1, total: 9 }));
  model.dispose();
});

test('cancel mid-run rejects with AbortError promptly and frees every tensor', async () => {
  let calls = 0;
  const controller = new AbortController();
  const model = createTinySrModel({
    scale: 2,
    onPredict: () => {
      calls++;
      if (calls === 3) controller.abort();
    },
  });
  const base = tf.memory().numTensors;
  await assert.rejects(
    upscale(model, makeTestImage(64, 64), { tileSize: 16, overlap: 4, signal: controller.signal }),
    AbortError,
  );
  assert.equal(calls, 3, 'no tile starts after the abort');
  assert.equal(tf.memory().numTensors, base);
  model.dispose();
});

test('an already aborted signal rejects before any work', async () => {
  const model = createTinySrModel();
  let calls = 0;
  const m2 = { ...model, predict: (x: tf.Tensor4D) => (calls++, model.predict(x)) };
  await assert.rejects(upscale(m2, makeTestImage(8, 8), { signal: AbortSignal.abort() }), AbortError);
  assert.equal(calls, 0);
  model.dispose();
});

test('backend OOM becomes OutOfMemoryError advising a smaller tile; no leak', async () => {
  const model = createTinySrModel({
    onPredict: () => {
      throw new Error('Failed to allocate 1073741824 bytes');
    },
  });
  const base = tf.memory().numTensors;
  await assert.rejects(
    upscale(model, makeTestImage(40, 40), { tileSize: 32, overlap: 4 }),
    (err: unknown) => {
      assert.ok(err instanceof OutOfMemoryError);
      assert.equal(err.code, 'OUT_OF_MEMORY');
      assert.match(err.message, /lower the tile size .*16/);
      return true;
    },
  );
  assert.equal(tf.memory().numTensors, base);
  model.dispose();
});

test('other model errors pass through unchanged; a wrong output shape is an INTERNAL error; no leak', async () => {
  const boom = createTinySrModel({
    onPredict: () => {
      throw new TypeError('kaboom: model exploded');
    },
  });
  const inner = createTinySrModel({ scale: 2 });
  const base = tf.memory().numTensors;
  await assert.rejects(upscale(boom, makeTestImage(10, 10)), /kaboom: model exploded/);
  const wrong = { ...inner, scale: 3 };
  await assert.rejects(upscale(wrong, makeTestImage(10, 10)), (err: unknown) => {
    assert.ok(err instanceof LwayError && err.code === 'INTERNAL');
    // A 10x10 image is one tile read with 10 px of context on each side: 30x30 in, 90x90 expected at x3.
    assert.match(err.message, /expected \[1, 90, 90, 3\]/);
    return true;
  });
  assert.equal(tf.memory().numTensors, base);
  boom.dispose();
  inner.dispose();
});

test('alpha: opaque stays 255, a transparent region stays transparent, RGB of hidden pixels is bled', async () => {
  const model = createTinySrModel({ scale: 2 });
  // Left half opaque, right half fully transparent with black RGB.
  const image = makeTestImage(32, 20, 4, (x) => (x < 16 ? 255 : 0));
  for (let i = 0; i < 32 * 20; i++) if (i % 32 >= 16) image.data.fill(0, i * 4, i * 4 + 3);
  const out = await upscale(model, image, { tileSize: 16, overlap: 4 });
  assert.equal(out.channels, 4);
  assert.equal(out.width, 64);
  for (let y = 0; y < out.height; y++) {
    for (let x = 0; x < out.width; x++) {
      const a = out.data[(y * 64 + x) * 4 + 3];
      if (x < 28) assert.equal(a, 255, `opaque at ${x},${y}`);
      if (x >= 36) assert.equal(a, 0, `transparent at ${x},${y}`);
    }
  }
  // The visible pixel next to the edge is not darkened by the black RGB hidden under alpha 0.
  const ref = await upscale(
    model,
    { ...makeTestImage(32, 20, 4), channels: 4 },
    { tileSize: 16, overlap: 4 },
  );
  const edge = (y: number): number => (y * 64 + 31) * 4;
  for (let y = 0; y < out.height; y++) {
    const luma = (p: Pixels, i: number): number => p.data[i] + p.data[i + 1] + p.data[i + 2];
    assert.ok(Math.abs(luma(out, edge(y)) - luma(ref, edge(y))) < 90, `edge row ${y}`);
  }
  model.dispose();
});

test('1x1, odd sizes, x4, and a tile multiple are handled (padded and cropped)', async () => {
  for (const [w, h, scale, multiple] of [
    [1, 1, 4, 1],
    [3, 7, 2, 1],
    [17, 5, 3, 4],
    [33, 21, 2, 8],
  ]) {
    const seen: number[][] = [];
    const model = createTinySrModel({
      scale,
      tileMultiple: multiple,
      onPredict: (x) => seen.push(x.shape.slice(1, 3)),
    });
    const out = await upscale(model, makeTestImage(w, h, 4), { tileSize: 16, overlap: 4 });
    assert.equal(out.width, w * scale);
    assert.equal(out.height, h * scale);
    assert.equal(out.data.length, w * scale * h * scale * 4);
    for (const [ph, pw] of seen)
      assert.ok(ph % multiple === 0 && pw % multiple === 0 && ph >= 16 && pw >= 16, `tile ${ph}x${pw}`);
    // A 1x1 input is read with reflected context, i.e. as a flat image of its colour: the result must be the
    // model's output for a flat field of that colour, away from any zero-padded border.
    if (w === 1) {
      const src = makeTestImage(1, 1, 4).data;
      const flat = tf.tidy(() => {
        const colour = tf.tensor1d([src[0] / 255, src[1] / 255, src[2] / 255]);
        const field = tf.mul(tf.ones([1, 9, 9, 3]), colour) as tf.Tensor4D;
        return model.predict(field).slice([0, 4 * scale, 4 * scale, 0], [1, scale, scale, 3]);
      });
      const expected = await flat.data();
      flat.dispose();
      for (let i = 0; i < scale * scale; i++) {
        for (let k = 0; k < 3; k++) {
          const want = Math.round(Math.min(1, Math.max(0, expected[i * 3 + k])) * 255);
          assert.ok(Math.abs(out.data[i * 4 + k] - want) <= 1, `pixel ${i} channel ${k}`);
        }
      }
    }
    model.dispose();
  }
});

test('bad inputs give clear errors', async () => {
  const model = createTinySrModel();
  await assert.rejects(
    upscale(model, { data: new Uint8Array(0), width: 0, height: 0, channels: 3 }),
    /at least 1x1.*got 0x0/,
  );
  await assert.rejects(
    upscale(model, { data: new Uint8Array(5), width: 2, height: 2, channels: 3 }),
    /has 5 bytes/,
  );
  await assert.rejects(
    upscale(model, makeTestImage(4, 4), { tileSize: 3 }),
    /tileSize must be an integer >= 8; got 3/,
  );
  model.dispose();
});
