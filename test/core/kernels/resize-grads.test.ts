import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { tf } from '../../../src/core/tf.js';
import { selectBackend } from '../../../src/core/backend/select-backend.js';
import { relativeError, seeded } from './grad-compare.js';
import { resizeGradReference, type ResizeFn } from './resize-reference.js';

// cpu's ResizeBilinearGrad / ResizeNearestNeighborGrad are themselves wrong in TF.js 4.22 (bilinear throws for
// non-square images, nearest misroutes with batch > 1), so the reference is R^T dy with R read off cpu's
// forward resize (see resize-reference.ts). Sizes cover x2/x4 up, non-integer up and down, all flag sets.
const SHAPE: [number, number, number, number] = [2, 6, 5, 3];
const CASES: Record<string, ResizeFn> = {
  'nearest x2': (x) => tf.image.resizeNearestNeighbor(x, [12, 10]),
  'nearest x4': (x) => tf.image.resizeNearestNeighbor(x, [24, 20]),
  'nearest to 9x7': (x) => tf.image.resizeNearestNeighbor(x, [9, 7]),
  'nearest to 9x7, alignCorners': (x) => tf.image.resizeNearestNeighbor(x, [9, 7], true),
  'nearest to 9x7, halfPixelCenters': (x) => tf.image.resizeNearestNeighbor(x, [9, 7], false, true),
  'nearest down to 4x3, halfPixelCenters': (x) => tf.image.resizeNearestNeighbor(x, [4, 3], false, true),
  'bilinear x2': (x) => tf.image.resizeBilinear(x, [12, 10]),
  'bilinear to 9x13': (x) => tf.image.resizeBilinear(x, [9, 13]),
  'bilinear down to 4x3, alignCorners': (x) => tf.image.resizeBilinear(x, [4, 3], true),
  'bilinear to 11x8, halfPixelCenters': (x) => tf.image.resizeBilinear(x, [11, 8], false, true),
  'bilinear x2, halfPixelCenters': (x) => tf.image.resizeBilinear(x, [12, 10], false, true),
  'bilinear down to 3x2, halfPixelCenters': (x) => tf.image.resizeBilinear(x, [3, 2], false, true),
};

before(async () => {
  await selectBackend('wasm');
});

for (const [name, resize] of Object.entries(CASES)) {
  test(`resize gradient on wasm equals R^T dy from cpu's forward: ${name}`, async () => {
    await selectBackend('cpu');
    const outShape = tf.tidy(() => resize(tf.zeros(SHAPE)).shape);
    const dyData = seeded(
      outShape.reduce((a, b) => a * b, 1),
      41,
    );
    const ref = tf.tidy(() => resizeGradReference(resize, SHAPE, tf.tensor4d(dyData, outShape)).dataSync());

    await selectBackend('wasm');
    const before = tf.memory().numTensors;
    const got = tf.tidy(() => {
      const dy = tf.tensor4d(dyData, outShape);
      const x = tf.tensor4d(
        seeded(
          SHAPE.reduce((a, b) => a * b, 1),
          42,
        ),
        SHAPE,
      );
      return tf
        .grad((t: tf.Tensor) => tf.sum(tf.mul(resize(t as tf.Tensor4D), dy)))(x)
        .dataSync();
    });
    const err = relativeError(got, ref);
    assert.ok(err < 1e-4, `relative error ${err}`);
    assert.equal(tf.memory().numTensors, before);
  });
}
