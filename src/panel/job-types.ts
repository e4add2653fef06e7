import type { Pixels } from '../core/pixels.js';
import type { ModelSummary } from './model-summary.js';

/** Adaptation settings the user controls. `paramFraction` is the share of the model's parameters fine-tuned. */
export interface AdaptOptions {
  /** Number of Adam steps on the LR image. */
  readonly steps: number;
  /** Weight of the Haar-DWT high-frequency map W, 0 (flat) .. 1 (edges only). */
  readonly strength: number;
  /** Adam learning rate. */
  readonly lr: number;
  /** Fraction of parameters fine-tuned, counted from the output side (0..1]. */
  readonly paramFraction: number;
  /** Weight of the LPIPS term next to L1. */
  readonly lpipsWeight: number;
  /** Sigma (LR px) of the low-pass on the residual R(S(x)) - x before the loss, so grain is not learned; 0 = off. */
  readonly residualSigma: number;
}

/** Backends a job may ask for; `auto` takes the fastest that starts (WebGPU -> WebGL -> WASM -> CPU). */
export const BACKEND_CHOICES = ['auto', 'webgpu', 'webgl', 'wasm'] as const;
export type BackendChoice = (typeof BACKEND_CHOICES)[number];

/** What the panel asks the worker to do. `adapt` absent means a plain upscale. */
export interface JobRequest {
  readonly modelId: string;
  readonly scale: number;
  /** Side of the square tiles the upscaler cuts the input into, in input pixels. */
  readonly tileSize: number;
  /** The selection (or whole layer) to upscale; its buffer is transferred to the worker. */
  readonly pixels: Pixels;
  readonly adapt?: AdaptOptions;
  /**
   * Key of the per-layer adaptation cache (layer id + model + adaptation settings, see adaptationCacheKey); an
   * adapted model under it is reused. A new key for the same layer and model replaces the older adaptation.
   */
  readonly cacheKey?: string;
  /** Backend for this job; absent or `auto` leaves the choice to the worker. */
  readonly backend?: BackendChoice;
}

/** Stage of a running job: loading weights, adapting (LWay steps), upscaling (tiles). */
export type JobStage = 'load' | 'adapt' | 'upscale';

/** A progress event. `loss` is present during `adapt` steps. */
export interface JobProgress {
  readonly stage: JobStage;
  readonly step: number;
  readonly total: number;
  readonly loss?: number;
}

/** Backends as the panel names them; `fastPath` is false when WebGPU/WebGL could not start. */
export interface BackendInfo {
  readonly backend: string;
  readonly fastPath: boolean;
}

/** tf.memory() figures the worker reports after releasing a job's tensors. */
export interface WorkerMemory {
  readonly numTensors: number;
  readonly numBytes: number;
}

/** What a finished job hands back. */
export interface JobResult {
  readonly pixels: Pixels;
  readonly backend: string;
  /** True when an adapted model from the per-layer cache was reused (no new adaptation ran). */
  readonly reusedAdaptation: boolean;
  /** True when adaptation was asked for but this build cannot run it; the result is a plain upscale. */
  readonly adaptationUnavailable: boolean;
  /** Things the user should know about the adaptation (e.g. LPIPS fell back to L1, noisy input skipped). */
  readonly notices: readonly string[];
  /** Adam steps this job's adaptation ran (absent when it reused a cached model or did not adapt). */
  readonly adaptedSteps?: number;
  /** Cache key the adapted model is now stored under, if any. */
  readonly cachedAs?: string;
  readonly memoryAfter: WorkerMemory;
  readonly elapsedMs: number;
}

/** Callbacks and signal for one run. */
export interface RunJobOptions {
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: JobProgress) => void;
  readonly onBackend?: (info: BackendInfo) => void;
}

/** A grey-scale map in [0, 1], one value per pixel, row-major. */
export interface WeightMap {
  readonly data: Float32Array;
  readonly width: number;
  readonly height: number;
}

/**
 * The panel's port to whatever runs TF.js (a Web Worker in production, fakes in tests).
 * Implementations must reject with an AbortError-named error when the signal fires.
 */
export interface JobRunner {
  run(request: JobRequest, options?: RunJobOptions): Promise<JobResult>;
  /** The Haar weight map W of `pixels` at `strength`, for the live preview. */
  weightMap(pixels: Pixels, strength: number): Promise<WeightMap>;
  /** The model presets the worker can run (the registry lives there, so the page never loads TF.js). */
  models(): Promise<readonly ModelSummary[]>;
  /** Frees the adapted model cached under `cacheKey` (no-op when none). */
  clearCache(cacheKey: string): Promise<void>;
  /** Stops the worker. Idempotent. */
  dispose(): void;
}
