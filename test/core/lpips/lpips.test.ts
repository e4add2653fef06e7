import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import sharp from 'sharp';
import { tf } from '../../../src/core/tf.js';
import {
  createLpips,
  loadLpipsWeights,
  tryLoadLpips,
  LPIPS_UNAVAILABLE,
} from '../../../src/core/lpips/index.js';
import { lpipsFetchBytes, fileFetchBytes } from '../../../src/node/lpips-weights.js';

// The weights are the copy shipped in models/lpips; the official example images stay in the team's shared data.
const WEIGHTS = resolve('models/lpips');
const IMAGES = resolve('../shared/lpips/reference');
const skip = existsSync(`${IMAGES}/ex_ref.png`)
  ? false
  : `the LPIPS example images are absent (${IMAGES}); these tests need them`;

async function png(name: string): Promise<tf.Tensor4D> {
  const { data, info } = await sharp(`${IMAGES}/${name}`)
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return tf.tidy(
    () =>
      tf.div(tf.tensor4d(new Uint8Array(data), [1, info.height, info.width, 3], 'int32'), 255) as tf.Tensor4D,
  );
}

for (const [net, d0, d1] of [
  ['alex', 0.7219, 0.1376],
  ['squeeze', 0.711, 0.1479],
] as const) {
  test(
    `LPIPS-${net} from the shipped models/lpips reproduces the reference distances to 3 decimals`,
    { skip },
    async () => {
      await tf.setBackend('cpu');
      const base = tf.memory().numTensors;
      const lpips = createLpips(net, await loadLpipsWeights(net, lpipsFetchBytes(WEIGHTS)));
      const [ref, p0, p1] = await Promise.all([png('ex_ref.png'), png('ex_p0.png'), png('ex_p1.png')]);
      const both = tf.tidy(() => lpips.distance(tf.concat([ref, ref]), tf.concat([p0, p1])));
      const [a, b] = await both.data();
      assert.ok(Math.abs(a - d0) < 5e-4, `${net} ref/p0 = ${a}, expected ${d0}`);
      assert.ok(Math.abs(b - d1) < 5e-4, `${net} ref/p1 = ${b}, expected ${d1}`);
      const same = lpips.distance(ref, ref);
      assert.ok((await same.data())[0] < 1e-6);
      tf.dispose([both, same, ref, p0, p1]);
      lpips.dispose();
      lpips.dispose();
      assert.equal(tf.memory().numTensors, base);
    },
  );
}

test('LPIPS-alex is differentiable: the gradient is finite and moves p1 towards ref', { skip }, async () => {
  await tf.setBackend('cpu');
  const base = tf.memory().numTensors;
  const lpips = createLpips('alex', await loadLpipsWeights('alex', lpipsFetchBytes(WEIGHTS)));
  const [ref, p1] = await Promise.all([png('ex_ref.png'), png('ex_p1.png')]);
  const grad = tf.grad((x: tf.Tensor) => tf.sum(lpips.distance(x as tf.Tensor4D, ref)));
  const g = grad(p1);
  const gData = Array.from(await g.data());
  assert.ok(gData.every(Number.isFinite));
  assert.ok(gData.some((v) => v !== 0));
  const maxAbs = gData.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
  const stepped = tf.tidy(() => tf.sub(p1, tf.mul(g, 0.01 / maxAbs))) as tf.Tensor4D;
  const beforeT = lpips.distance(p1, ref);
  const afterT = lpips.distance(stepped, ref);
  const before = (await beforeT.data())[0];
  const after = (await afterT.data())[0];
  assert.ok(after < before, `gradient step should lower LPIPS: ${before} -> ${after}`);
  tf.dispose([g, stepped, beforeT, afterT, ref, p1]);
  lpips.dispose();
  assert.equal(tf.memory().numTensors, base);
});

test('tryLoadLpips: absent weights give the LPIPS_UNAVAILABLE warning, not an error', async () => {
  const r = await tryLoadLpips('alex', fileFetchBytes('/nonexistent-lpips-dir'));
  assert.equal(r.ok, false);
  if (!r.ok) {
    assert.equal(r.warning.code, LPIPS_UNAVAILABLE);
    assert.match(r.warning.message, /LPIPS unavailable.*L1 alone/);
  }
});

test('the default LPIPS folder is the shipped models/lpips (not ../shared), with both nets and the licence notes', async () => {
  const saved = process.env.LWAY_LPIPS_DIR;
  delete process.env.LWAY_LPIPS_DIR;
  try {
    for (const net of ['alex', 'squeeze'] as const) {
      const got = new Uint8Array(await lpipsFetchBytes()(`${net}.weights.json`));
      const want = new Uint8Array(await fileFetchBytes(WEIGHTS)(`${net}.weights.json`));
      assert.deepEqual(got, want);
    }
  } finally {
    if (saved !== undefined) process.env.LWAY_LPIPS_DIR = saved;
  }
  for (const f of ['LICENSE-lpips.txt', 'LICENSE-torchvision.txt', 'README.md']) {
    assert.ok(existsSync(`${WEIGHTS}/${f}`), `models/lpips/${f}`);
  }
});
