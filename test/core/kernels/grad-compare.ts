// Helpers shared by the wasm training-kernel tests: deterministic data, cpu-vs-wasm gradient comparison.
import { tf } from '../../../src/core/tf.js';
import { selectBackend } from '../../../src/core/backend/select-backend.js';

/** Deterministic values in [-1, 1) (an LCG) so failures reproduce. */
export function seeded(size: number, seed: number): Float32Array {
  const out = new Float32Array(size);
  let s = (seed * 2654435761) >>> 0 || 1;
  for (let i = 0; i < size; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 2 ** 31 - 1;
  }
  return out;
}

/** ||a - b|| / ||b||, the float32 gradient tolerance measure (norm-wise, so tiny entries do not dominate). */
export function relativeError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let num = 0;
  let den = 0;
  for (let i = 0; i < a.length; i++) {
    num += (a[i] - b[i]) ** 2;
    den += b[i] ** 2;
  }
  return den === 0 ? Math.sqrt(num) : Math.sqrt(num / den);
}

export interface InputSpec {
  shape: number[];
  seed: number;
  /** Added to every value (e.g. to keep sqrt's input positive). */
  offset?: number;
}

/**
 * Gradients of sum(f(inputs) * weights) with respect to every input on `backend` (weights fixed and seeded so
 * each output element gets a different upstream gradient).
 */
export async function gradsOn(
  backend: 'cpu' | 'wasm',
  f: (...xs: tf.Tensor[]) => tf.Tensor,
  specs: InputSpec[],
): Promise<Float32Array[]> {
  await selectBackend(backend);
  return tf.tidy(() => {
    const xs = specs.map((s) =>
      tf
        .tensor(
          seeded(
            s.shape.reduce((a, b) => a * b, 1),
            s.seed,
          ),
          s.shape,
        )
        .add(s.offset ?? 0),
    );
    const loss = (...args: tf.Tensor[]): tf.Scalar => {
      const y = f(...args);
      const w = tf.tensor(seeded(y.size, 999), y.shape);
      return tf.sum(tf.mul(y, w));
    };
    return tf
      .grads(loss)(xs)
      .map((g) => g.dataSync() as Float32Array);
  });
}

/** Largest relative error between cpu and wasm gradients of `f`, over all inputs. */
export async function compareGrads(
  f: (...xs: tf.Tensor[]) => tf.Tensor,
  specs: InputSpec[],
): Promise<number> {
  const cpu = await gradsOn('cpu', f, specs);
  const wasm = await gradsOn('wasm', f, specs);
  return Math.max(...cpu.map((c, i) => relativeError(wasm[i], c)));
}
