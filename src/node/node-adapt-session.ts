import {
  createAdaptSession,
  type AdaptSession,
  type OperatorChoice,
  type OperatorSourceOptions,
} from '../core/index.js';
import { fileFetchBytes, lpipsFetchBytes } from './lpips-weights.js';
import { stage1DirFor } from './stage1-folder.js';

/** How the Node side finds the reconstruction operator: `lway upscale`'s and `lway bench`'s `--operator` flags. */
export interface NodeOperatorOptions {
  /** Default `auto`: the trained R when its folder has weights, else the known operator with a notice. */
  readonly choice?: OperatorChoice;
  /** Stage-1 folder (weights.json, or a training folder's checkpoint.json); default models/lway-degradation/x<scale>/. */
  readonly stage1Dir?: string;
  /** Blur sigma (HR px) of the known operator. Default 2. */
  readonly blurSigma?: number;
}

/** The operator source options for this machine's files. */
export function nodeOperatorOptions(o: NodeOperatorOptions = {}): OperatorSourceOptions {
  const dirFor = (scale: number): string => o.stage1Dir ?? stage1DirFor(scale);
  return {
    choice: o.choice,
    blurSigma: o.blurSigma,
    files: ['weights.json', 'checkpoint.json'],
    fetchBytesFor: (scale) => fileFetchBytes(dirFor(scale)),
    describe: dirFor,
  };
}

/**
 * core's adaptation session over this machine's files: R from the stage-1 folder, LPIPS-alex from the package's
 * models/lpips (or $LWAY_LPIPS_DIR). Dispose it when done.
 */
export function createNodeAdaptSession(o: NodeOperatorOptions = {}): AdaptSession {
  return createAdaptSession({
    operators: nodeOperatorOptions(o),
    lpips: { net: 'alex', fetchBytes: lpipsFetchBytes() },
  });
}
