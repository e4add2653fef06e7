import { z } from 'zod';
import { LwayError } from '../errors.js';

/**
 * A blind clean/noisy judge of an LR image, read from its degradation embedding E(x): logistic regression,
 * p(clean) = sigmoid(w . E(x) + b). "Clean" means what the label was: on synthetic LR/HR pairs (the training photos
 * under the five stage-1 presets), tone + back-projection of the unadapted output beat tone alone in PSNR without
 * raising LPIPS by 0.01 — i.e. the LR is sharp detail to trust, not noise and JPEG blocks to keep out.
 * Stage 2 reads it to pick its settings (INPUT_PROFILES in adapt/adapt-options.ts); see docs/lway-stage2-decisions.md section 9.
 * Stored as `clean-gate.json` beside the stage-1 weights it was fitted on (it is only valid for that E).
 */
export interface CleanInputGate {
  readonly weights: Float32Array;
  readonly bias: number;
  /** p(clean) at or above which an input is judged clean. */
  readonly threshold: number;
}

/** The verdict on one input. */
export interface InputJudgement {
  readonly kind: 'clean' | 'noisy';
  /** p(clean). */
  readonly probability: number;
}

const gateFileSchema = z.object({
  format: z.literal('lway-clean-gate/1'),
  weights: z.array(z.number().finite()).min(1),
  bias: z.number().finite(),
  threshold: z.number().gt(0).lt(1),
});

/** Validates a parsed `clean-gate.json`; throws BAD_INPUT naming what is wrong. */
export function parseCleanInputGate(json: unknown, embeddingDim?: number): CleanInputGate {
  const r = gateFileSchema.safeParse(json);
  if (!r.success) {
    const first = r.error.issues[0];
    throw new LwayError('BAD_INPUT', `clean-gate.json: ${first.path.join('.') || 'file'}: ${first.message}`);
  }
  if (embeddingDim !== undefined && r.data.weights.length !== embeddingDim) {
    throw new LwayError(
      'BAD_INPUT',
      `clean-gate.json has ${r.data.weights.length} weights; the encoder's embedding has ${embeddingDim}`,
    );
  }
  return { weights: Float32Array.from(r.data.weights), bias: r.data.bias, threshold: r.data.threshold };
}

/** The gate's verdict on an embedding E(x) (length must match the gate's weights). */
export function judgeEmbedding(gate: CleanInputGate, embedding: ArrayLike<number>): InputJudgement {
  if (embedding.length !== gate.weights.length) {
    throw new LwayError(
      'BAD_INPUT',
      `embedding has ${embedding.length} values; the gate expects ${gate.weights.length}`,
    );
  }
  let z = gate.bias;
  for (let i = 0; i < embedding.length; i++) z += gate.weights[i] * embedding[i];
  const probability = 1 / (1 + Math.exp(-z));
  return { kind: probability >= gate.threshold ? 'clean' : 'noisy', probability };
}
