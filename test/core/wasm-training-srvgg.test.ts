// End to end: Adam steps of an SRVGGNetCompact shaped like realesr-general-x4v3 (64 features, 32 body convs,
// x4) on a tiny LR patch follow the same L1 loss curve on wasm (with the registered training kernels) and cpu.
// The real SrvggNetCompact class with seeded weights; the trained share is LWay's own selectAdaptParams.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tf } from '../../src/core/tf.js';
import { selectBackend } from '../../src/core/backend/select-backend.js';
import { seeded } from './kernels/grad-compare.js';
import { REALESR_GENERAL_X4V3_CONFIG } from '../../src/core/models/srvgg-net-compact.js';
import { selectAdaptParams } from '../../src/core/adapt/adapt-param-subset.js';
import { buildSeededSrvgg } from './kernels/srvgg-test-net.js';

const LR = 4; // cpu takes ~2.5 s per step at 4x4 (the whole net is 160 MFLOP per 8x8 forward)
const STEPS = Number(process.env.STEPS ?? 3);

async function lossCurve(backend: 'cpu' | 'wasm'): Promise<number[]> {
  await selectBackend(backend);
  const before = tf.memory().numTensors;
  const net = buildSeededSrvgg(REALESR_GENERAL_X4V3_CONFIG, 7);
  const optimizer = tf.train.adam(2e-4);
  const x = tf.tidy(
    () =>
      tf
        .tensor4d(seeded(LR * LR * 3, 8), [1, LR, LR, 3])
        .add(1)
        .div(2) as tf.Tensor4D,
  );
  const target = tf.tidy(() =>
    tf
      .tensor4d(seeded(16 * LR * LR * 3, 9), [1, 4 * LR, 4 * LR, 3])
      .add(1)
      .div(2),
  );
  const losses: number[] = [];
  try {
    const trainable = selectAdaptParams(net.params, { fraction: 0.65 }).map((p) => p.variable);
    for (let i = 0; i < STEPS; i++) {
      const loss = optimizer.minimize(() => tf.mean(tf.abs(tf.sub(net.predict(x), target))), true, trainable);
      losses.push((await loss!.data())[0]);
      loss!.dispose();
    }
  } finally {
    optimizer.dispose();
    net.dispose();
    tf.dispose([x, target]);
  }
  assert.equal(
    tf.memory().numTensors,
    before,
    `${backend} leaked tensors ${tf.memory().numTensors - before}`,
  );
  return losses;
}

test('Adam on an x4v3-shaped SRVGGNetCompact: same L1 loss curve on wasm and cpu', async () => {
  const wasm = await lossCurve('wasm');
  const cpu = await lossCurve('cpu');
  for (let i = 0; i < STEPS; i++) {
    const rel = Math.abs(wasm[i] - cpu[i]) / cpu[i];
    assert.ok(rel < 1e-4, `step ${i}: wasm ${wasm[i]} vs cpu ${cpu[i]} (relative ${rel})`);
  }
  console.log(`losses wasm ${wasm.join(', ')}; cpu ${cpu.join(', ')}`);
  assert.ok(wasm[STEPS - 1] < wasm[0], `loss should fall: ${wasm.join(', ')} (cpu ${cpu.join(', ')})`);
});
