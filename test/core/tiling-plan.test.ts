import { test } from 'node:test';
import assert from 'node:assert/strict';
import { planTiles } from '../../src/core/tiling/plan-tiles.js';
import { featherWeights } from '../../src/core/tiling/feather-weights.js';
import { LwayError } from '../../src/core/errors.js';

interface Case {
  name: string;
  width: number;
  height: number;
  tileSize: number;
  overlap: number;
  xs: number[];
  ys: number[];
}

const cases: Case[] = [
  { name: '1x1', width: 1, height: 1, tileSize: 64, overlap: 8, xs: [0], ys: [0] },
  { name: 'tile larger than image', width: 50, height: 30, tileSize: 64, overlap: 8, xs: [0], ys: [0] },
  { name: 'exact fit', width: 64, height: 64, tileSize: 64, overlap: 8, xs: [0], ys: [0] },
  { name: 'ragged edge shared out', width: 100, height: 64, tileSize: 64, overlap: 8, xs: [0, 36], ys: [0] },
  { name: 'three columns', width: 130, height: 10, tileSize: 64, overlap: 16, xs: [0, 33, 66], ys: [0] },
  { name: 'zero overlap', width: 128, height: 70, tileSize: 64, overlap: 0, xs: [0, 64], ys: [0, 6] },
  { name: 'one pixel more', width: 65, height: 65, tileSize: 64, overlap: 4, xs: [0, 1], ys: [0, 1] },
];

for (const c of cases) {
  test(`planTiles: ${c.name}`, () => {
    const plan = planTiles(c);
    assert.deepEqual(plan.xs, c.xs);
    assert.deepEqual(plan.ys, c.ys);
    assert.equal(plan.tiles.length, c.xs.length * c.ys.length);
    assert.equal(plan.tileWidth, Math.min(c.tileSize, c.width));
    // Cover the image, stay inside it, and overlap neighbours by at least `overlap`.
    for (const [starts, tile, size] of [
      [plan.xs, plan.tileWidth, c.width],
      [plan.ys, plan.tileHeight, c.height],
    ] as const) {
      assert.equal(starts[0], 0);
      assert.equal(starts[starts.length - 1] + tile, size);
      for (let i = 1; i < starts.length; i++) assert.ok(starts[i - 1] + tile - starts[i] >= c.overlap);
    }
  });
}

const bad: [string, Parameters<typeof planTiles>[0], RegExp][] = [
  [
    'overlap > tile',
    { width: 100, height: 100, tileSize: 16, overlap: 20 },
    /overlap must be at most tileSize\/2 \(8\); got 20/,
  ],
  ['overlap > tile/2', { width: 100, height: 100, tileSize: 16, overlap: 9 }, /got 9/],
  ['zero width', { width: 0, height: 10, tileSize: 16, overlap: 0 }, /width must be an integer >= 1; got 0/],
  [
    'fractional tile',
    { width: 10, height: 10, tileSize: 7.5, overlap: 0 },
    /tileSize must be an integer >= 1; got 7.5/,
  ],
  [
    'negative overlap',
    { width: 10, height: 10, tileSize: 8, overlap: -1 },
    /overlap must be an integer >= 0; got -1/,
  ],
];
for (const [name, input, message] of bad) {
  test(`planTiles rejects ${name}`, () => {
    assert.throws(
      () => planTiles(input),
      (err: unknown) => err instanceof LwayError && err.code === 'BAD_INPUT' && message.test(err.message),
    );
  });
}

test('featherWeights: 0 at the seam for a third of the ramp, then rising, 1 in the middle and at image edges', () => {
  const w = featherWeights(32, 9, true, false);
  assert.deepEqual([...w.slice(0, 3)], [0, 0, 0]);
  assert.ok(w[3] > 0 && w[8] > 0.95 && w[8] <= 1);
  assert.equal(w[31], 1);
  for (let i = 4; i < 9; i++) assert.ok(w[i] > w[i - 1]);
  assert.ok(featherWeights(10, 0, true, true).every((v) => v === 1));
});
