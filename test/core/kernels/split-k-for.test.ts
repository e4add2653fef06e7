import { test } from 'node:test';
import assert from 'node:assert/strict';
import { splitKFor } from '../../../src/core/kernels/conv2d-backprop-filter-webgpu.js';

test('splitKFor: a default adaptation batch cuts the reduction of a 3x3 64->64 dW into 32 chunks', () => {
  // 4 crops of 48 x 48: 9,216 positions; taps 3*3*64 = 576, 36 output tiles of 32 x 32.
  assert.equal(splitKFor(576, 64, 4 * 48 * 48), 32);
  assert.equal(splitKFor(576, 64, 16 * 48 * 48), 32);
});

test('splitKFor: chunks divide the positions and stay at least 256 long; big outputs are left whole', () => {
  assert.equal(splitKFor(36, 6, 2 * 32 * 32), 8); // the browser test's case: 2048 / 8 = 256
  assert.equal(splitKFor(576, 64, 500), 1); // too short to cut
  assert.equal(splitKFor(576, 64, 900), 2); // 450 + 450; 225 would be too short
  assert.equal(splitKFor(4608, 1024, 1 << 20), 1); // 4,608 tiles already
  for (const p of [9216, 1000, 4 * 47 * 47, 6 * 40 * 40]) {
    const s = splitKFor(576, 64, p);
    assert.equal(p % s, 0, `${s} divides ${p}`);
    assert.ok(s === 1 || p / s >= 256, `chunk ${p / s}`);
  }
});
