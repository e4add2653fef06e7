import { DisposedError } from '../errors.js';
import type { NamedParam, SrModel } from '../models/index.js';
import type { tf } from '../tf.js';

/** Why an adaptation run stopped. */
export type AdaptStopReason =
  'completed' | 'non-finite' | 'diverged' | 'deviation-limit' | 'noisy-input' | 'no-steps';

/** Something the user should be told about a run (the panel shows these; nothing is logged). */
export interface AdaptNotice {
  readonly code:
    | 'LPIPS_UNAVAILABLE'
    | 'KNOWN_OPERATOR'
    | 'NOISY_INPUT'
    | 'ROLLED_BACK'
    | 'NO_IMPROVEMENT'
    | 'DEVIATION_LIMIT';
  readonly message: string;
}

/** What an adaptation run did. Losses are the weighted L1 (+ lambda LPIPS) of adapt's objective. */
export interface AdaptReport {
  readonly stepsRun: number;
  readonly stopReason: AdaptStopReason;
  /** Training-batch loss at the first step (before any update); NaN when no step ran. */
  readonly initialLoss: number;
  /** Training-batch loss of the last step run; NaN when no step ran. */
  readonly finalLoss: number;
  /** Loss on the held-out crops with the unadapted weights, and with the returned ones. */
  readonly initialHeldOutLoss: number;
  readonly bestHeldOutLoss: number;
  /** Step whose weights are returned (0 = unadapted). */
  readonly bestStep: number;
  /** Mean |S_adapted - S_unadapted| on the held-out crops for the returned weights ([0, 1] units). */
  readonly deviation: number;
  readonly heldOutCrops: number;
  readonly noiseSigma: number;
  readonly trainedParams: readonly string[];
  readonly trainedScalars: number;
  readonly seconds: number;
  readonly notices: readonly AdaptNotice[];
}

/**
 * An SrModel that runs a base model with its own values for the adapted subset of parameters. The base model's
 * variables are never changed outside `predict`: for the duration of one synchronous forward pass the adapted
 * values are swapped in (a handle swap, no copy) and the originals swapped back in `finally`, so the base model
 * keeps working for other layers. `dispose()` frees only the adapted copies; the base model stays the caller's.
 */
export class AdaptedModel implements SrModel {
  readonly id: string;
  readonly scale: number;
  readonly tileMultiple: number;
  readonly contextPad: number | undefined;
  readonly params: readonly NamedParam[];
  readonly report: AdaptReport;
  readonly base: SrModel;
  private readonly own: Map<string, tf.Variable>;
  private disposed = false;

  /** Takes ownership of `adapted` (base parameter name -> variable holding its adapted value). */
  constructor(base: SrModel, adapted: ReadonlyMap<string, tf.Variable>, report: AdaptReport) {
    this.base = base;
    this.id = `${base.id}+lway`;
    this.scale = base.scale;
    this.tileMultiple = base.tileMultiple;
    this.contextPad = base.contextPad;
    this.own = new Map(adapted);
    this.params = base.params.map((p) => {
      const v = this.own.get(p.name);
      return v ? { name: p.name, variable: v } : p;
    });
    this.report = report;
  }

  predict(x: tf.Tensor4D): tf.Tensor4D {
    if (this.disposed) throw new DisposedError('AdaptedModel');
    return withParamValues(this.base.params, this.own, () => this.base.predict(x));
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const v of this.own.values()) v.dispose();
    this.own.clear();
  }
}

/**
 * Runs `fn` synchronously with `values` (by parameter name) assigned to the matching variables of `params`, then
 * restores the original values, even if `fn` throws. `fn` must not await.
 */
export function withParamValues<T>(
  params: readonly NamedParam[],
  values: ReadonlyMap<string, tf.Tensor>,
  fn: () => T,
): T {
  const saved: [tf.Variable, tf.Tensor][] = [];
  try {
    for (const p of params) {
      const value = values.get(p.name);
      if (!value) continue;
      saved.push([p.variable, p.variable.clone()]);
      p.variable.assign(value);
    }
    return fn();
  } finally {
    for (const [variable, original] of saved) {
      variable.assign(original);
      original.dispose();
    }
  }
}
