// adapt-options.js, not the lway index: the index re-exports adapt() and would pull TF.js into the panel's main
// thread, which only needs these constants (TF.js lives in the worker).
import {
  clampAdaptOption,
  defaultCorrection,
  DEFAULT_ADAPT_OPTIONS,
  DEFAULT_LEARNING_RATE,
  DEFAULT_LEARNING_RATES,
  GATED_ADAPT_SETTINGS,
  type CorrectionMode,
  type NumericAdaptSetting,
} from '../core/index.js';
import { PANEL_ADAPT_KEYS, type PanelAdaptKey, type PanelAdaptOptions } from './adapt-controls.js';
import { BACKEND_CHOICES, type BackendChoice, type JobRequest } from './worker/index.js';
import type { PanelSource } from './panel-host.js';

/**
 * The quick fixes the panel offers (core's closed-form corrections, applied to the output in milliseconds): none,
 * tone (per-channel colour and contrast, the safe one), tone + back-projection (sharper on clean photos, but it
 * amplifies noise). Back-projection alone is left to the CLI.
 */
export const QUICK_FIXES = ['none', 'tone', 'tone+ibp'] as const satisfies readonly CorrectionMode[];
export type QuickFix = (typeof QUICK_FIXES)[number];

/**
 * Everything the panel's controls set. One object so a job is a pure function of it plus the source. The
 * adaptation settings are core's, under core's names (see adapt-controls.ts).
 */
export interface PanelSettings extends PanelAdaptOptions {
  readonly modelId: string;
  readonly scale: number;
  readonly tileSize: number;
  readonly adaptEnabled: boolean;
  /**
   * Let core's clean-input gate pick the anchor, the grain guard and the learning rate per image (INPUT_PROFILES):
   * the job then leaves those settings out and their controls are disabled. Off: the controls' values are sent.
   */
  readonly inputGate: boolean;
  /**
   * Keep adaptation's fine texture off the selection's flat regions (core's flat-region guard): there the output
   * keeps the preset model's texture, so adaptation paints no grain. On by default.
   */
  readonly flatGuard: boolean;
  /** The quick fix applied to the output (see QUICK_FIXES). */
  readonly correction: QuickFix;
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

/** Core's default for a panel adaptation setting (the learning rate: the model's). */
function defaultOf(key: PanelAdaptKey, modelId: string): number {
  return key === 'learningRate' ? defaultLearningRate(modelId) : DEFAULT_ADAPT_OPTIONS[key];
}

/** The quick fix a run gets unless the user picks one: core's default for an adapted or a plain upscale. */
export function defaultQuickFix(adaptEnabled: boolean): QuickFix {
  return defaultCorrection(adaptEnabled);
}

/**
 * Defaults: the adaptation settings are core's measured product defaults (DEFAULT_ADAPT_OPTIONS; the learning rate
 * from the model's default, see {@link defaultLearningRate}), so a user starts from what was measured rather than
 * from the panel's own guesses. No model is picked yet: the panel picks the first one and {@link changeSettings}
 * moves the learning rate to that model's default.
 */
export const DEFAULT_PANEL_SETTINGS: PanelSettings = {
  modelId: '',
  scale: 4,
  tileSize: 128,
  adaptEnabled: true,
  inputGate: true,
  flatGuard: true,
  correction: defaultQuickFix(true),
  ...(Object.fromEntries(PANEL_ADAPT_KEYS.map((k) => [k, defaultOf(k, '')])) as unknown as PanelAdaptOptions),
  backend: 'auto',
};

/** The tile-size control's range (input pixels); the adaptation settings' ranges are core's. */
export const TILE_SIZE_RANGE = { min: 16, max: 512, step: 16 } as const;

/**
 * Fills defaults and clamps every number into its range (core's, for the adaptation settings), so a stray input
 * value can never reach the worker. Non-finite numbers fall back to the default.
 */
export function resolvePanelSettings(partial: Partial<PanelSettings>): PanelSettings {
  const merged = { ...DEFAULT_PANEL_SETTINGS, ...partial };
  const modelId = String(merged.modelId);
  const out: Record<string, unknown> = { ...merged };
  for (const key of PANEL_ADAPT_KEYS) {
    out[key] = clampAdaptOption(key, Number(merged[key]), defaultOf(key, modelId));
  }
  const tile = Number(merged.tileSize);
  out.tileSize = Number.isFinite(tile)
    ? Math.min(TILE_SIZE_RANGE.max, Math.max(TILE_SIZE_RANGE.min, tile))
    : DEFAULT_PANEL_SETTINGS.tileSize;
  for (const key of ['inputGate', 'flatGuard'] as const)
    out[key] = typeof merged[key] === 'boolean' ? merged[key] : DEFAULT_PANEL_SETTINGS[key];
  if (!(BACKEND_CHOICES as readonly unknown[]).includes(merged.backend))
    out.backend = DEFAULT_PANEL_SETTINGS.backend;
  if (!(QUICK_FIXES as readonly unknown[]).includes(merged.correction))
    out.correction = defaultQuickFix(Boolean(merged.adaptEnabled));
  const scale = Number(merged.scale);
  out.scale = Number.isInteger(scale) && scale >= 1 ? scale : DEFAULT_PANEL_SETTINGS.scale;
  return out as unknown as PanelSettings;
}

/**
 * Applies a change from the controls (or the panel picking a model) and resolves the result. Two settings follow
 * another until the user sets them: the learning rate follows the model (when it still holds the previous model's
 * default) and the quick fix follows adaptation on/off (when it still holds the previous default). A value the
 * user set is kept. (Stateless: a value edited back to the old default counts as not edited.)
 */
export function changeSettings(
  current: PanelSettings,
  changes: Partial<PanelSettings>,
  rates: Readonly<Record<string, number>> = DEFAULT_LEARNING_RATES,
): PanelSettings {
  const next = { ...current, ...changes };
  const modelChanged = changes.modelId !== undefined && changes.modelId !== current.modelId;
  if (
    modelChanged &&
    changes.learningRate === undefined &&
    current.learningRate === defaultLearningRate(current.modelId, rates)
  ) {
    next.learningRate = defaultLearningRate(next.modelId, rates);
  }
  const adaptToggled = changes.adaptEnabled !== undefined && changes.adaptEnabled !== current.adaptEnabled;
  if (
    adaptToggled &&
    changes.correction === undefined &&
    current.correction === defaultQuickFix(current.adaptEnabled)
  ) {
    next.correction = defaultQuickFix(next.adaptEnabled);
  }
  return resolvePanelSettings(next);
}

/** The settings core's clean-input gate picks per image when the panel's `inputGate` is on. */
export const GATED_ADAPT_KEYS: readonly NumericAdaptSetting[] = GATED_ADAPT_SETTINGS;

/**
 * The adaptation settings a job sends (the Pick<> of core's that the panel offers), without the gated ones when
 * the gate picks them.
 */
export function adaptOptionsOf(settings: PanelSettings): Partial<PanelAdaptOptions> {
  const keys = settings.inputGate
    ? PANEL_ADAPT_KEYS.filter((k) => !GATED_ADAPT_KEYS.includes(k))
    : PANEL_ADAPT_KEYS;
  return Object.fromEntries(keys.map((k) => [k, settings[k]])) as Partial<PanelAdaptOptions>;
}

/**
 * True when an adaptation made with `a` (the settings it ran with) is what the panel would ask for with `b`: they
 * agree on every setting `b` sends (one `b` leaves to the gate was the gate's pick, whatever its value).
 */
export function sameAdaptOptions(a: Partial<PanelAdaptOptions>, b: Partial<PanelAdaptOptions>): boolean {
  return PANEL_ADAPT_KEYS.every((k) => !(k in b) || a[k] === b[k]);
}

/** Builds the job the worker runs from the panel's settings and the source. Pure; the caller transfers pixels. */
export function buildJobRequest(settings: PanelSettings, source: PanelSource): JobRequest {
  const s = resolvePanelSettings(settings);
  return {
    modelId: s.modelId,
    scale: s.scale,
    tileSize: s.tileSize,
    pixels: source.pixels,
    correction: s.correction,
    ...(s.backend !== 'auto' ? { backend: s.backend } : {}),
    ...(s.adaptEnabled ? { adapt: adaptOptionsOf(s), layerId: source.layerId, flatGuard: s.flatGuard } : {}),
  };
}
