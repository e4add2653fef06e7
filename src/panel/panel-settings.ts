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
  /** Where the worker runs the job (Performance section). */
  readonly backend: BackendChoice;
}

/** Defaults: LWay's paper fine-tunes ~65% of the parameters; strength 0.5 balances flat areas and edges. */
export const DEFAULT_PANEL_SETTINGS: PanelSettings = {
  modelId: '',
  scale: 4,
  tileSize: 128,
  adaptEnabled: true,
  strength: 0.5,
  steps: 20,
  lr: 1e-4,
  paramFraction: 0.65,
  lpipsWeight: 1,
  backend: 'auto',
};

/** Allowed ranges of the numeric controls, shared by the inputs' min/max and by validation. */
export const SETTING_RANGES = {
  strength: { min: 0, max: 1, step: 0.05 },
  steps: { min: 1, max: 200, step: 1 },
  lr: { min: 1e-6, max: 1e-2, step: 1e-6 },
  paramFraction: { min: 0.05, max: 1, step: 0.05 },
  lpipsWeight: { min: 0, max: 10, step: 0.1 },
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
    out[key] = Number.isFinite(v) ? Math.min(max, Math.max(min, v)) : DEFAULT_PANEL_SETTINGS[key];
  }
  out.steps = Math.round(out.steps as number);
  if (!(BACKEND_CHOICES as readonly unknown[]).includes(merged.backend))
    out.backend = DEFAULT_PANEL_SETTINGS.backend;
  const scale = Number(merged.scale);
  out.scale = Number.isInteger(scale) && scale >= 1 ? scale : DEFAULT_PANEL_SETTINGS.scale;
  return out as unknown as PanelSettings;
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
  const { steps, strength, lr, paramFraction, lpipsWeight } = adapt;
  const settings = `steps=${steps};strength=${strength};lr=${lr};params=${paramFraction};lpips=${lpipsWeight}`;
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
