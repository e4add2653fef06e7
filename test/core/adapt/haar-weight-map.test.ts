import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { tf } from '../../../src/core/tf.js';
import {
  haarWeightMap,
  haarWeightMapOfPixels,
  weightMapToHeatmap,
} from '../../../src/core/adapt/haar-weight-map.js';

before(async () => {
  await tf.setBackend('cpu');
});

/** A 1 x h x w x 3 grey image from f(y, x) in [0, 1]. */
const grey = (h: number, w: number, f: (y: number, x: number) => number): tf.Tensor4D =>
  tf.tidy(() => {
    const v = Float32Array.from({ length: h * w }, (_, i) => f(Math.floor(i / w), i % w));
    return tf.tensor4d(v, [1, h, w, 1]).tile([1, 1, 1, 3]) as tf.Tensor4D;
  });

async function mapOf(x: tf.Tensor4D, strength: number): Promise<number[][]> {
  const m = await haarWeightMap(x, { strength });
  const out = (await m.array()) as number[][][][];
  m.dispose();
  return out[0].map((row) => row.map((v) => v[0]));
}

test('haarWeightMap: a flat image gives W_s = 1 - s everywhere; s = 0 gives ones', async () => {
  const start = tf.memory().numTensors;
  const x = grey(9, 10, () => 0.4);
  for (const s of [0, 0.3, 1]) {
    const m = await mapOf(x, s);
    assert.equal(m.length, 9);
    assert.equal(m[0].length, 10);
    for (const row of m) for (const v of row) assert.ok(Math.abs(v - (1 - s)) < 1e-6, `s=${s} v=${v}`);
  }
  x.dispose();
  assert.equal(tf.memory().numTensors, start);
});

test('haarWeightMap: a vertical edge lights up exactly its two columns, wherever it falls', async () => {
  for (const edge of [7, 8]) {
    const x = grey(12, 16, (_, c) => (c < edge ? 0.1 : 0.9));
    const m = await mapOf(x, 1);
    x.dispose();
    for (const row of m) {
      row.forEach((v, c) => {
        const expected = c === edge - 1 || c === edge ? 1 : 0;
        assert.ok(Math.abs(v - expected) < 1e-6, `edge ${edge} col ${c}: ${v}`);
      });
    }
    const y = grey(12, 16, (_, c) => (c < edge ? 0.1 : 0.9));
    const half = await mapOf(y, 0.5);
    y.dispose();
    assert.ok(Math.abs(half[3][edge] - 1) < 1e-6 && Math.abs(half[3][0] - 0.5) < 1e-6);
  }
});

test('haarWeightMap: the 99th percentile, not the maximum, sets the scale (one hot pixel cannot flatten the map)', async () => {
  // Mild texture everywhere plus one very bright pixel.
  const x = grey(32, 32, (y, c) => (y === 16 && c === 16 ? 1 : 0.5 + 0.05 * ((y + c) % 2)));
  const m = await mapOf(x, 1);
  x.dispose();
  assert.ok(Math.abs(m[2][2] - 1) < 1e-6, `texture pixel ${m[2][2]} should reach the clip level`);
  assert.ok(m[16][16] <= 1);
});

test('haarWeightMapOfPixels + weightMapToHeatmap: sizes, range and colours', async () => {
  const w = 6;
  const h = 4;
  const data = Uint8Array.from({ length: w * h * 4 }, (_, i) =>
    i % 4 === 3 ? 255 : Math.floor(i / 4) % w < 3 ? 0 : 255,
  );
  const map = await haarWeightMapOfPixels({ data, width: w, height: h, channels: 4 }, { strength: 1 });
  assert.equal(map.data.length, w * h);
  assert.ok(map.data[2] > 0.99 && map.data[0] < 1e-6);
  const heat = weightMapToHeatmap(map);
  assert.equal(heat.channels, 4);
  assert.deepEqual([...heat.data.subarray(0, 4)], [0, 0, 4, 255]);
  assert.deepEqual([...heat.data.subarray(8, 12)], [252, 255, 164, 255]);
  await assert.rejects(
    () => haarWeightMapOfPixels({ data, width: w, height: h, channels: 4 }, { strength: 2 }),
    /strength/,
  );
});
