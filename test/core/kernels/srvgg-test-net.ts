// SRVGGNetCompact (the real class) with seeded random weights, for the wasm training tests and bench/train.ts
// when the converted weights are absent: He-uniform kernels, small biases, PReLU slopes 0.25.
import { tf } from '../../../src/core/tf.js';
import {
  SrvggNetCompact,
  srvggNetCompactSpecs,
  type SrvggConfig,
} from '../../../src/core/models/srvgg-net-compact.js';
import { seeded } from './grad-compare.js';

/** Builds `config` (e.g. REALESR_GENERAL_X4V3_CONFIG) on the current backend with deterministic weights. */
export function buildSeededSrvgg(config: SrvggConfig, seed = 1): SrvggNetCompact {
  const tensors = srvggNetCompactSpecs(config).map((spec, i) =>
    tf.tidy(() => {
      const shape = [...spec.shape];
      const u = tf.tensor(seeded(tf.util.sizeFromShape(shape), seed * 1000 + i), shape);
      if (spec.name.endsWith('/alpha')) return tf.fill(shape, 0.25);
      if (spec.name.endsWith('/bias')) return u.mul(0.01);
      return u.mul(Math.sqrt(6 / (spec.shape[0] * spec.shape[1] * spec.shape[2])));
    }),
  );
  try {
    return new SrvggNetCompact(`srvgg-seeded-${seed}`, config, tensors);
  } finally {
    tf.dispose(tensors);
  }
}
