import { AbortError, DisposedError, LwayError, throwIfAborted } from '../errors.js';
import type { FetchBytes } from '../models/index.js';
import type { Pixels } from '../pixels.js';
import { tf } from '../tf.js';
import type { AdaptNotice } from './adapted-model.js';
import { pixelsToTensor } from '../image/index.js';
import { createKnownDegradationOperator } from './known-degradation-operator.js';
import { lrReconstructionFromEmbedding, meanEmbedding } from './lr-reconstruction.js';
import type { ReconstructionOperator } from './reconstruction-operator.js';
import {
  judgeEmbedding,
  loadStage1,
  parseCleanInputGate,
  type CleanInputGate,
  type InputJudgement,
  type Stage1Networks,
} from '../stage1/index.js';

/** `r`: the trained stage-1 R(y, E(x)); `known`: Gaussian blur + area downscale; `auto`: r when it loads. */
export type OperatorChoice = 'auto' | 'r' | 'known';
export const OPERATOR_CHOICES: readonly OperatorChoice[] = ['auto', 'r', 'known'];

/** Where adaptation's reconstruction operator comes from, and what to do without trained weights. */
export interface OperatorSourceOptions {
  /** Reads the stage-1 folder for `scale` (paths relative to it: `weights.json`, its `.bin`). */
  readonly fetchBytesFor: (scale: number) => FetchBytes;
  /** Default `auto`: R when its weights load, else the known operator with a notice saying why. */
  readonly choice?: OperatorChoice;
  /** Model files tried in order (a training folder may hold only `checkpoint.json`). Default `['weights.json']`. */
  readonly files?: readonly string[];
  /** Blur sigma (HR px) of the known operator. Default 2. */
  readonly blurSigma?: number;
  /** Where the weights were looked for, for messages (e.g. a folder). */
  readonly describe?: (scale: number) => string;
}

/** An operator for some LR images and the gate's verdict on them (see {@link OperatorSource.prepare}). */
export interface PreparedOperator {
  readonly operator: ReconstructionOperator;
  readonly judgement: InputJudgement | undefined;
}

/** The reconstruction operator for one scale: R with its networks loaded, or the known operator. */
export interface OperatorSource {
  readonly kind: 'r' | 'known';
  /** One line saying what the operator is (for reports). */
  readonly description: string;
  /** Set when `auto` fell back to the known operator: tell the user why (code KNOWN_OPERATOR). */
  readonly notice?: AdaptNotice;
  /**
   * The operator for these LR images (R: their mean embedding E(x)) and, when `judge` is set (default) and R came
   * with a `clean-gate.json`, the clean/noisy verdict read from the same embedding (E runs once); judgement is
   * undefined otherwise (the known operator, no gate file), and stage 2 keeps its fixed defaults. The caller
   * disposes the operator.
   */
  prepare(lr: Pixels | readonly Pixels[], judge?: boolean): Promise<PreparedOperator>;
  /** Frees E and R (nothing for `known`). Idempotent. */
  dispose(): void;
}

/** The error's message and its cause's (loadStage1 wraps "HTTP 404 ..." in "cannot read weights.json"). */
function reasonOf(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const cause = err.cause instanceof Error ? err.cause.message : undefined;
  return cause && !err.message.includes(cause) ? `${err.message} (${cause})` : err.message;
}

function knownSource(scale: number, blurSigma: number, reason?: string): OperatorSource {
  return {
    kind: 'known',
    description: `known blur sigma ${blurSigma} + area x${scale}`,
    notice: reason
      ? {
          code: 'KNOWN_OPERATOR',
          message:
            `The trained LWay degradation model (stage-1 R) for x${scale} could not be used: ${reason}. ` +
            'This adaptation used the known-degradation operator (Gaussian blur + area downscale) instead.',
        }
      : undefined,
    prepare: () =>
      Promise.resolve({
        operator: createKnownDegradationOperator({ scale, blurSigma }),
        judgement: undefined,
      }),
    dispose: () => undefined,
  };
}

async function loadNetworks(
  fetchBytes: FetchBytes,
  files: readonly string[],
  signal: AbortSignal | undefined,
): Promise<Stage1Networks> {
  let first: unknown;
  for (const file of files) {
    try {
      const loaded = await loadStage1(fetchBytes, { file, signal });
      tf.dispose(Object.values(loaded.extra)); // a checkpoint's optimizer state
      return loaded;
    } catch (err) {
      if (err instanceof AbortError) throw err;
      throwIfAborted(signal);
      first ??= err;
    }
  }
  throw first;
}

/**
 * The clean-input gate fitted on these E weights (`clean-gate.json` beside them), or undefined when the folder has
 * none: it is optional, and without it stage 2 uses its fixed defaults. A gate file that is there but does not fit
 * E is a reason not to use R (it was fitted on other weights), like a broken weights file.
 */
async function loadGate(
  fetchBytes: FetchBytes,
  nets: Stage1Networks,
  signal: AbortSignal | undefined,
): Promise<CleanInputGate | undefined> {
  let bytes: ArrayBuffer;
  try {
    bytes = await fetchBytes('clean-gate.json', signal);
  } catch (err) {
    if (err instanceof AbortError) throw err;
    throwIfAborted(signal);
    return undefined;
  }
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    throw new LwayError('BAD_INPUT', 'clean-gate.json is not JSON');
  }
  return parseCleanInputGate(json, nets.encoder.config.embeddingDim);
}

/**
 * The reconstruction operator for `scale`: loads E and R through `fetchBytesFor(scale)` (on the current TF.js
 * backend) unless `choice` is `known`. With `auto`, anything that keeps R from being used (missing or unreadable
 * files, a foreign format, weights for another scale) gives the known operator with a notice saying why, since
 * adaptation must not fail for want of R; with `r` it throws BAD_INPUT saying why. An abort rejects with
 * AbortError.
 */
export async function loadOperatorSource(
  o: OperatorSourceOptions,
  scale: number,
  signal?: AbortSignal,
): Promise<OperatorSource> {
  const choice = o.choice ?? 'auto';
  if (!OPERATOR_CHOICES.includes(choice)) {
    throw new LwayError(
      'BAD_INPUT',
      `operator must be one of ${OPERATOR_CHOICES.join(', ')}; got ${String(choice)}`,
    );
  }
  const blurSigma = o.blurSigma ?? 2;
  if (choice === 'known') return knownSource(scale, blurSigma);
  const where = o.describe?.(scale);
  const unusable = (reason: string): OperatorSource => {
    if (choice === 'r') {
      throw new LwayError(
        'BAD_INPUT',
        `operator r needs the trained stage-1 R for x${scale}${where ? ` in ${where}` : ''}: ${reason}`,
      );
    }
    return knownSource(scale, blurSigma, reason);
  };
  let nets: Stage1Networks;
  try {
    nets = await loadNetworks(o.fetchBytesFor(scale), o.files ?? ['weights.json'], signal);
  } catch (err) {
    if (err instanceof AbortError) throw err;
    throwIfAborted(signal);
    return unusable(reasonOf(err));
  }
  const got = nets.reconstructor.config.scale;
  if (got !== scale) {
    nets.encoder.dispose();
    nets.reconstructor.dispose();
    return unusable(`its weights are for x${got}`);
  }
  let gate: CleanInputGate | undefined;
  try {
    gate = await loadGate(o.fetchBytesFor(scale), nets, signal);
  } catch (err) {
    nets.encoder.dispose();
    nets.reconstructor.dispose();
    if (err instanceof AbortError) throw err;
    return unusable(reasonOf(err));
  }
  let disposed = false;
  /** E(x) of these LR images (their mean); the caller owns it. */
  const embed = (lr: Pixels | readonly Pixels[]): tf.Tensor2D => {
    if (disposed) throw new DisposedError('The operator source');
    const list = Array.isArray(lr) ? (lr as readonly Pixels[]) : [lr as Pixels];
    const tensors = list.map((p) => pixelsToTensor(p));
    try {
      return meanEmbedding(nets, tensors);
    } finally {
      tf.dispose(tensors);
    }
  };
  return {
    kind: 'r',
    description: `stage-1 R(y, E(x))${where ? ` from ${where}` : ''}${gate ? ' with its clean-input gate' : ''}`,
    async prepare(lr, judge = true) {
      const e = embed(lr);
      const operator = lrReconstructionFromEmbedding(nets, e);
      if (!gate || !judge) return { operator, judgement: undefined };
      try {
        return { operator, judgement: judgeEmbedding(gate, await e.data()) };
      } catch (err) {
        operator.dispose();
        throw err;
      }
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      nets.encoder.dispose();
      nets.reconstructor.dispose();
    },
  };
}
