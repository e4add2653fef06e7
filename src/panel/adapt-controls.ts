// The adaptation settings the panel offers, as data: <lway-adapt-controls> renders them, panel-settings fills their
// defaults and clamps them (both from core), the job carries them to the worker, which hands them to core's
// adaptation session as they are. To offer another of core's settings, add a line here. No Lit and no TF.js here:
// the settings logic runs in Node tests and the worker reads the types.
import type { AdaptSettings, NumericAdaptSetting } from '../core/index.js';
import { formatLearningRate } from './format-learning-rate.js';

/** One of core's numeric adaptation settings as the panel shows it. */
export interface AdaptControl {
  readonly key: NumericAdaptSetting;
  readonly label: string;
  /** A slider (value shown beside it) or a number box. */
  readonly kind: 'range' | 'number';
  /** Under "Advanced" (folded) rather than always visible. */
  readonly advanced: boolean;
  /** One line under the control. */
  readonly hint?: string;
  /** The value as the control shows it. Default String(v). */
  readonly show?: (v: number) => string;
  /** The value in the cache line's words ('' leaves it out). */
  readonly describe: (v: number) => string;
}

export const ADAPT_CONTROLS = [
  {
    key: 'strength',
    label: 'Detail emphasis (DWT strength)',
    kind: 'range',
    advanced: false,
    show: (v) => v.toFixed(2),
    describe: (v) => `strength ${v.toFixed(2)}`,
  },
  { key: 'steps', label: 'Adaptation steps', kind: 'number', advanced: false, describe: (v) => `${v} steps` },
  {
    key: 'learningRate',
    label: 'Learning rate',
    kind: 'number',
    advanced: true,
    show: formatLearningRate,
    describe: (v) => `learning rate ${formatLearningRate(v)}`,
  },
  {
    key: 'paramFraction',
    label: 'Share of parameters tuned',
    kind: 'range',
    advanced: true,
    show: (v) => `${Math.round(v * 100)}%`,
    describe: (v) => `${Math.round(v * 100)}% of parameters`,
  },
  {
    key: 'lpipsWeight',
    label: 'LPIPS weight',
    kind: 'number',
    advanced: true,
    describe: (v) => `LPIPS weight ${v}`,
  },
  {
    key: 'anchorWeight',
    label: 'Perceptual anchor weight',
    kind: 'number',
    advanced: true,
    hint: "Keeps the model's own fine detail (LPIPS at full size); 0 lets adaptation soften it.",
    describe: (v) => `anchor weight ${v}`,
  },
  {
    key: 'residualSigma',
    label: 'Grain guard (low-pass sigma, LR px)',
    kind: 'number',
    advanced: true,
    hint: 'Raise to 1 if the result shows grain or JPEG blocks.',
    describe: (v) => (v > 0 ? `grain guard ${v}` : ''),
  },
] as const satisfies readonly AdaptControl[];

/** The settings the panel offers (a subset of core's). */
export type PanelAdaptKey = (typeof ADAPT_CONTROLS)[number]['key'];

/** The adaptation settings the panel offers: a Pick<> of core's, under core's names. */
export type PanelAdaptOptions = Required<Pick<AdaptSettings, PanelAdaptKey>>;

/** Their names, in the controls' order. */
export const PANEL_ADAPT_KEYS: readonly PanelAdaptKey[] = ADAPT_CONTROLS.map((c) => c.key);

/** An adaptation's settings in words, for the cache line, e.g. "strength 0.80, 3 steps, learning rate 2e-6". */
export function describeAdaptSettings(
  settings: Readonly<Partial<Record<NumericAdaptSetting, number>>>,
): string {
  return ADAPT_CONTROLS.map((c: AdaptControl) => {
    const v = settings[c.key];
    return v === undefined ? '' : c.describe(v);
  })
    .filter((s) => s !== '')
    .join(', ');
}
