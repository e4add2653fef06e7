// adapt-options.js, not the lway index: the index re-exports adapt() and would pull TF.js into the panel's main
// thread, which only needs these constants (TF.js lives in the worker).
import {
  DEFAULT_ADAPT_OPTIONS,
  DEFAULT_LEARNING_RATE,
  DEFAULT_LEARNING_RATES,
} from '../core/lway/adapt-options.js';
import { BACKEND_CHOICES, type AdaptOptions, type BackendChoice, type JobRequest } from './job-types.js';
import type { PanelSource } from './panel-host.js';

/** Everything the panel's controls set. One object so a job is a pure function of it plus the source. */
export interface PanelSettings {
  readonly modelId: string;
  readonly scale: number;
  readonly tileSize: number;
  readonly adaptEnabled: boolean;
  readonly strength: number;
  readonly steps: number;
  readonly lr: number;
  readonly paramFraction: number;
  readonly lpipsWeight: number;
  /** Grain guard: sigma (LR px) of the low-pass on the residual before the loss (core's residualSigma; 0 = off). */
  readonly residualSigma: number;
  /** Where the worker runs the job (Performance section). */
  readonly backend: BackendChoice;
}

/**
 * The Adam learning rate core uses for `modelId` when none is given (its per-model table, else its fallback), so
 * the panel starts from the rate stage 2 was measured with. `rates` is core's table unless a test passes its own.
 */
export function defaultLearningRate(
  modelId: string,
  rates: Readonly<Record<string, number>> = DEFAULT_LEARNING_RATES,
): number {
  return Object.hasOwn(rates, modelId) ? rates[modelId] : DEFAULT_LEARNING_RATE;
}

/**
 * Defaults: the adaptation settings are core's measured product defaults (steps, weight-map strength, parameter
 * share, LPIPS weight from DEFAULT_ADAPT_OPTIONS; lr from the model's default, see {@link defaultLearningRate}), so
 * a user starts from what was measured rather than from the panel's own guesses. No model is picked yet: the panel
 * picks the first one and {@link changeSettings} moves lr to that model's default.
 */
export const DEFAULT_PANEL_SETTINGS: PanelSettings = {
  modelId: '',
  scale: 4,
  tileSize: 128,
  adaptEnabled: true,
  strength: DEFAULT_ADAPT_OPTIONS.strength,
  steps: DEFAULT_ADAPT_OPTIONS.steps,
  lr: defaultLearningRate(''),
  paramFraction: DEFAULT_ADAPT_OPTIONS.paramFraction,
  lpipsWeight: DEFAULT_ADAPT_OPTIONS.lpipsWeight,
  residualSigma: DEFAULT_ADAPT_OPTIONS.residualSigma,
  backend: 'auto',
};

/** Allowed ranges of the numeric controls, shared by the inputs' min/max and by validation. */
export const SETTING_RANGES = {
  strength: { min: 0, max: 1, step: 0.05 },
  // The paper adapts for 100-600 steps.
  steps: { min: 1, max: 600, step: 1 },
  lr: { min: 1e-6, max: 1e-2, step: 1e-6 },
  paramFraction: { min: 0.05, max: 1, step: 0.05 },
  lpipsWeight: { min: 0, max: 10, step: 0.1 },
  // Grain guard: the lead's real phone photo (CLI --adapt-lowpass 1) needed sigma 1; 3 leaves headroom above that.
  residualSigma: { min: 0, max: 3, step: 0.5 },
  tileSize: { min: 16, max: 512, step: 16 },
} as const;

type RangedKey = keyof typeof SETTING_RANGES;

/**
 * Fills defaults and clamps every number into its range, so a stray input value can never reach the worker.
 * Non-finite numbers fall back to the default.
 */
export function resolvePanelSettings(partial: Partial<PanelSettings>): PanelSettings {
  const merged = { ...DEFAULT_PANEL_SETTINGS, ...partial };
  const out: Record<string, unknown> = { ...merged };
  for (const key of Object.keys(SETTING_RANGES) as RangedKey[]) {
    const { min, max } = SETTING_RANGES[key];
    const v = Number(merged[key]);
    const fallback = key === 'lr' ? defaultLearningRate(String(merged.modelId)) : DEFAULT_PANEL_SETTINGS[key];
    out[key] = Number.isFinite(v) ? Math.min(max, Math.max(min, v)) : fallback;
  }
  out.steps = Math.round(out.steps as number);
  if (!(BACKEND_CHOICES as readonly unknown[]).includes(merged.backend))
    out.backend = DEFAULT_PANEL_SETTINGS.backend;
  const scale = Number(merged.scale);
  out.scale = Number.isInteger(scale) && scale >= 1 ? scale : DEFAULT_PANEL_SETTINGS.scale;
  return out as unknown as PanelSettings;
}

/**
 * Applies a change from the controls (or the panel picking a model) and resolves the result. When the model
 * changes and lr still holds the previous model's default, lr moves to the new model's default; an lr the user set
 * to something else is kept. (Stateless: an lr edited back to the old default counts as not edited.)
 */
export function changeSettings(
  current: PanelSettings,
  changes: Partial<PanelSettings>,
  rates: Readonly<Record<string, number>> = DEFAULT_LEARNING_RATES,
): PanelSettings {
  const next = { ...current, ...changes };
  const modelChanged = changes.modelId !== undefined && changes.modelId !== current.modelId;
  const lrFollows =
    modelChanged && changes.lr === undefined && current.lr === defaultLearningRate(current.modelId, rates);
  return resolvePanelSettings(lrFollows ? { ...next, lr: defaultLearningRate(next.modelId, rates) } : next);
}

/** The cache slot of a layer and model preset: the worker keeps at most one adapted model per slot. */
export function adaptationCacheSlot(layerId: string, modelId: string): string {
  return `${layerId}::${modelId}`;
}

/**
 * The adaptation cache key: layer + model + every setting that changes the adapted weights, so changing steps or
 * strength adapts again instead of silently reusing an older adaptation.
 */
export function adaptationCacheKey(layerId: string, modelId: string, adapt: AdaptOptions): string {
  const { steps, strength, lr, paramFraction, lpipsWeight, residualSigma } = adapt;
  const settings =
    `steps=${steps};strength=${strength};lr=${lr};params=${paramFraction};lpips=${lpipsWeight}` +
    `;lowpass=${residualSigma}`;
  return `${adaptationCacheSlot(layerId, modelId)}::${settings}`;
}

/** The slot part of a key from adaptationCacheKey (the settings part never contains `::`). */
export function cacheSlotOf(cacheKey: string): string {
  const cut = cacheKey.lastIndexOf('::');
  return cut < 0 ? cacheKey : cacheKey.slice(0, cut);
}

/** Builds the job the worker runs from the panel's settings and the source. Pure; the caller transfers pixels. */
export function buildJobRequest(settings: PanelSettings, source: PanelSource): JobRequest {
  const s = resolvePanelSettings(settings);
  const adapt: AdaptOptions | undefined = s.adaptEnabled
    ? {
        steps: s.steps,
        strength: s.strength,
        lr: s.lr,
        paramFraction: s.paramFraction,
        lpipsWeight: s.lpipsWeight,
        residualSigma: s.residualSigma,
      }
    : undefined;
  return {
    modelId: s.modelId,
    scale: s.scale,
    tileSize: s.tileSize,
    pixels: source.pixels,
    ...(s.backend !== 'auto' ? { backend: s.backend } : {}),
    ...(adapt ? { adapt, cacheKey: adaptationCacheKey(source.layerId, s.modelId, adapt) } : {}),
  };
}
