// The data the panel and its worker exchange (the messages themselves, and their zod schemas, are in
// worker-messages.ts). Worker side: nothing here depends on the page.
import type { CorrectionMode, NumericAdaptSetting, ResolvedAdaptSettings, Pixels } from '../../core/index.js';
import type { ModelSummary } from './model-summary.js';

/**
 * Adaptation settings a job carries: any of core's numeric settings, under core's names. The worker hands them to
 * core's session as they are (core fills the rest with its defaults and validates them); which ones the panel
 * offers is the panel's business (adapt-controls.ts).
 */
export type AdaptRequest = Readonly<Partial<Record<NumericAdaptSetting, number>>>;

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
  readonly adapt?: AdaptRequest;
  /**
   * The layer the pixels come from: the worker keeps the adapted model per layer and model (for these settings and
   * backend) and reuses it for a later selection on the same layer.
   */
  readonly layerId?: string;
  /** The quick fix applied to the whole output after upscaling (fitted against `pixels`). Default none. */
  readonly correction?: CorrectionMode;
  /**
   * With `adapt`: keep adaptation's fine texture off the flat regions of `pixels` (core's flat-region guard, one
   * more upscale pass with the unadapted model). Default true; false sends the adapted output as is.
   */
  readonly flatGuard?: boolean;
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

/** The adapted model the worker holds for a layer and model: its cache key and the settings it was made with. */
export interface CachedAdaptationInfo {
  readonly key: string;
  readonly backend: string;
  readonly settings: ResolvedAdaptSettings;
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
  /** The adapted model the worker holds for this layer and model (any settings), or null. */
  cachedAdaptation(layerId: string, modelId: string): Promise<CachedAdaptationInfo | null>;
  /** Frees the adapted model cached under `cacheKey` (no-op when none). */
  clearCache(cacheKey: string): Promise<void>;
  /** Stops the worker. Idempotent. */
  dispose(): void;
}
