import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tf } from '../../src/core/tf.js';
import { pixelsToTensor } from '../../src/core/image/pixels-to-tensor.js';
import { tensorToPixels } from '../../src/core/image/tensor-to-pixels.js';
import { resizeAlphaBicubic } from '../../src/core/image/resize-alpha-bicubic.js';
import { bleedTransparentRgb } from '../../src/core/image/bleed-transparent-rgb.js';
import { borderIndex, readRgbTile } from '../../src/core/image/read-rgb-tile.js';
import { makeTestImage } from '../helpers/test-images.js';

test('pixelsToTensor -> tensorToPixels round-trips RGB bytes exactly and drops alpha; no leak', async () => {
  const image = makeTestImage(7, 5, 4);
  const base = tf.memory().numTensors;
  const t = pixelsToTensor(image);
  assert.deepEqual(t.shape, [1, 5, 7, 3]);
  const back = await tensorToPixels(t);
  t.dispose();
  assert.equal(tf.memory().numTensors, base);
  assert.equal(back.channels, 3);
  for (let i = 0; i < 35; i++)
    for (let k = 0; k < 3; k++) assert.equal(back.data[i * 3 + k], image.data[i * 4 + k]);
});

test('tensorToPixels clamps out-of-range values and rejects wrong shapes', async () => {
  const t = tf.tensor4d([-0.5, 0.5, 1.7], [1, 1, 1, 3]);
  assert.deepEqual([...(await tensorToPixels(t)).data], [0, 128, 255]);
  t.dispose();
  const bad = tf.zeros([1, 2, 2, 4]) as tf.Tensor4D;
  await assert.rejects(tensorToPixels(bad), /needs shape \[1, h, w, 3\]; got \[1, 2, 2, 4\]/);
  bad.dispose();
});

test('readRgbTile edge-pads past the image border', () => {
  const image = makeTestImage(3, 2);
  const tile = readRgbTile(image, 1, 1, 4, 2);
  // Row 0 of the tile is image row 1; row 1 repeats it. Column 3 repeats image column 2.
  const px = (x: number, y: number, k: number): number => Math.fround(image.data[(y * 3 + x) * 3 + k] / 255);
  assert.equal(tile[0], px(1, 1, 0));
  assert.equal(tile[(0 * 4 + 3) * 3 + 1], px(2, 1, 1));
  assert.equal(tile[(1 * 4 + 2) * 3 + 2], px(2, 1, 2));
});

test('resizeAlphaBicubic keeps constant planes constant and interpolates a step smoothly', () => {
  for (const v of [0, 255, 77]) {
    assert.ok(resizeAlphaBicubic(new Uint8Array(12).fill(v), 4, 3, 3).every((a) => a === v));
  }
  const step = new Uint8Array([0, 0, 255, 255]);
  const up = resizeAlphaBicubic(step, 4, 1, 4).slice(0, 16);
  assert.equal(up[0], 0);
  assert.equal(up[15], 255);
  for (let i = 1; i < 16; i++) assert.ok(up[i] >= up[i - 1], `monotone-ish at ${i}`);
  assert.ok(up[7] > 0 && up[8] < 255, 'the transition is interpolated');
});

test('bleedTransparentRgb fills hidden RGB from visible neighbours and leaves alpha and visible pixels alone', () => {
  const w = 6;
  const data = new Uint8Array(w * 4);
  for (let x = 0; x < w; x++) data.set(x < 2 ? [200, 100, 50, 255] : [0, 0, 0, 0], x * 4);
  const out = bleedTransparentRgb({ data, width: w, height: 1, channels: 4 });
  for (let x = 0; x < w; x++)
    assert.deepEqual([...out.data.slice(x * 4, x * 4 + 4)], [200, 100, 50, x < 2 ? 255 : 0]);
  assert.deepEqual([...data.slice(8, 12)], [0, 0, 0, 0], 'input not mutated');
  const rgb = makeTestImage(3, 3);
  assert.equal(bleedTransparentRgb(rgb), rgb);
});

test('borderIndex mirrors without repeating the edge pixel, folds wide pads, and clamps in edge mode', () => {
  const cases: [number, number, number, number][] = [
    // [i, size, reflect, edge]
    [0, 5, 0, 0],
    [4, 5, 4, 4],
    [-1, 5, 1, 0],
    [-3, 5, 3, 0],
    [5, 5, 3, 4],
    [6, 5, 2, 4],
    [-7, 5, 1, 0],
    [12, 5, 4, 4],
    [-2, 1, 0, 0],
    [3, 2, 1, 1],
  ];
  for (const [i, size, reflect, edge] of cases) {
    assert.equal(borderIndex(i, size, 'reflect'), reflect, `reflect ${i} in ${size}`);
    assert.equal(borderIndex(i, size, 'edge'), edge, `edge ${i} in ${size}`);
  }
});
