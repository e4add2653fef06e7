import { LitElement, html, css, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { ADAPT_OPTION_RANGES, INPUT_PROFILES, type OptionRange } from '../core/index.js';
import { ADAPT_CONTROLS, type AdaptControl } from './adapt-controls.js';
import { SettingsChangeEvent } from './events.js';
import {
  DEFAULT_PANEL_SETTINGS,
  GATED_ADAPT_KEYS,
  QUICK_FIXES,
  TILE_SIZE_RANGE,
  type PanelSettings,
  type QuickFix,
} from './panel-settings.js';
import { BACKEND_CHOICES, type BackendChoice } from './worker/index.js';
import { backendLabel } from './backend-label.js';
import { sharedStyles } from './shared-styles.js';

/** The quick fixes in words. */
const QUICK_FIX_LABELS: Readonly<Record<QuickFix, string>> = {
  none: 'None',
  tone: 'Tone',
  'tone+ibp': 'Tone + back-projection',
};

const { clean, noisy } = INPUT_PROFILES;
const GATE_HINT =
  `Picks the anchor, grain guard and learning rate per image (clean: anchor ${clean.anchorWeight}, ` +
  `${clean.learningRateScale}x the learning rate; noisy: anchor ${noisy.anchorWeight}, grain guard ${noisy.residualSigma}).`;

const FLAT_GUARD_HINT =
  "Where the selection is flat (sky, walls, skin), the result keeps the preset model's fine texture and takes " +
  'only the smooth part of what adaptation changed. One more upscale pass.';

/** An input's min, max and step. */
interface Bounds {
  readonly min?: number;
  readonly max?: number;
  readonly step: number;
}

/** A control's input attributes: an open end of core's range becomes no bound (or one step inside). */
function bounds(r: OptionRange): Bounds {
  const min = r.min === -Infinity ? undefined : r.minExclusive ? r.min + r.step : r.min;
  const max = r.max === Infinity ? undefined : r.maxExclusive ? r.max - r.step : r.max;
  return { min, max, step: r.step };
}

/**
 * The adaptation controls: on/off, then core's settings as adapt-controls.ts lists them (the everyday ones, then
 * an Advanced section), the quick fix, and a performance section (tile size, backend). Ranges are core's. Every
 * input is labelled and keyboard operable.
 * @fires lway-settings-change with the changed field
 */
@customElement('lway-adapt-controls')
export class LwayAdaptControls extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      .field {
        margin: 6px 0;
      }
      .field .row {
        justify-content: space-between;
      }
      .hint {
        margin: -2px 0 6px;
        font-size: 0.85em;
        opacity: 0.75;
      }
      output {
        font-variant-numeric: tabular-nums;
      }
      details {
        margin-top: 6px;
      }
      summary {
        cursor: pointer;
      }
      fieldset {
        border: 0;
        margin: 0;
        padding: 0;
      }
      fieldset:disabled {
        opacity: 0.5;
      }
    `,
  ];

  @property({ attribute: false }) settings: PanelSettings = DEFAULT_PANEL_SETTINGS;

  protected override render(): unknown {
    const s = this.settings;
    return html`
      <label class="row">
        <input id="adapt" type="checkbox" .checked=${s.adaptEnabled} @change=${this.onToggle} />
        Adapt the model to this image (LWay)
      </label>
      <fieldset ?disabled=${!s.adaptEnabled}>
        ${ADAPT_CONTROLS.filter((c: AdaptControl) => !c.advanced).map((c) => this.adaptControl(c))}
        <details>
          <summary>Advanced</summary>
          ${this.switchControl('inputGate', 'Judge each image clean or noisy', GATE_HINT)}
          ${this.switchControl('flatGuard', 'Keep flat areas free of added grain', FLAT_GUARD_HINT)}
          ${ADAPT_CONTROLS.filter((c: AdaptControl) => c.advanced).map((c) => this.adaptControl(c))}
        </details>
      </fieldset>
      <div class="field row">
        <label for="correction">Quick fix</label>
        <select id="correction" aria-describedby="correction-hint" @change=${this.onCorrection}>
          ${QUICK_FIXES.map(
            (c) => html`<option value=${c} ?selected=${c === s.correction}>${QUICK_FIX_LABELS[c]}</option>`,
          )}
        </select>
      </div>
      <div class="hint" id="correction-hint">
        Tone is the safe one; back-projection suits clean photos but amplifies noise.
      </div>
      <details>
        <summary>Performance</summary>
        ${this.number('tileSize', 'Tile size (px)', String(s.tileSize), TILE_SIZE_RANGE)}
        <div class="field row">
          <label for="backend">Backend</label>
          <select id="backend" @change=${this.onBackend}>
            ${BACKEND_CHOICES.map(
              (b) =>
                html`<option value=${b} ?selected=${b === s.backend}>
                  ${b === 'auto' ? 'Auto (fastest available)' : backendLabel(b)}
                </option>`,
            )}
          </select>
        </div>
      </details>
    `;
  }

  private adaptControl(c: AdaptControl): unknown {
    const value = this.settings[c.key as keyof PanelSettings] as number;
    const shown = (c.show ?? String)(value);
    const r = bounds(ADAPT_OPTION_RANGES[c.key]);
    // The gate picks these per image; the box keeps the value used when the gate is off.
    const gated = this.settings.inputGate && GATED_ADAPT_KEYS.includes(c.key);
    if (c.kind === 'number') return this.number(c.key, c.label, shown, r, c.hint, gated);
    return html`<div class="field">
      <div class="row"><label for=${c.key}>${c.label}</label><output for=${c.key}>${shown}</output></div>
      ${this.input(c.key, 'range', r, String(value), undefined, gated)}
    </div>`;
  }

  private number(
    key: string,
    label: string,
    shown: string,
    r: Bounds,
    hint?: string,
    disabled = false,
  ): unknown {
    return html`<div class="field row">
        <label for=${key}>${label}</label>
        ${this.input(key, 'number', r, shown, hint, disabled)}
      </div>
      ${hint ? html`<div class="hint" id=${`${key}-hint`}>${hint}</div>` : nothing}`;
  }

  /** A slider reports as it moves, a number box when committed. */
  private input(
    key: string,
    type: 'range' | 'number',
    r: Bounds,
    value: string,
    hint?: string,
    disabled = false,
  ): unknown {
    return html`<input
      id=${key}
      type=${type}
      ?disabled=${disabled}
      min=${r.min ?? nothing}
      max=${r.max ?? nothing}
      step=${r.step}
      aria-describedby=${hint ? `${key}-hint` : nothing}
      .value=${value}
      @input=${type === 'range' ? this.onNumber : nothing}
      @change=${type === 'number' ? this.onNumber : nothing}
    />`;
  }

  private onCorrection(e: Event): void {
    const correction = (e.target as HTMLSelectElement).value as QuickFix;
    this.dispatchEvent(new SettingsChangeEvent({ correction }));
  }

  private onToggle(e: Event): void {
    this.dispatchEvent(new SettingsChangeEvent({ adaptEnabled: (e.target as HTMLInputElement).checked }));
  }

  /** A checkbox for a boolean setting, with its hint (the input's id is the setting's name). */
  private switchControl(key: 'inputGate' | 'flatGuard', label: string, hint: string): unknown {
    const onChange = (e: Event): void => {
      this.dispatchEvent(new SettingsChangeEvent({ [key]: (e.target as HTMLInputElement).checked }));
    };
    return html`
      <label class="row">
        <input
          id=${key}
          type="checkbox"
          aria-describedby=${`${key}-hint`}
          .checked=${this.settings[key]}
          @change=${onChange}
        />
        ${label}
      </label>
      <div class="hint" id=${`${key}-hint`}>${hint}</div>
    `;
  }

  private onBackend(e: Event): void {
    const backend = (e.target as HTMLSelectElement).value as BackendChoice;
    this.dispatchEvent(new SettingsChangeEvent({ backend }));
  }

  private onNumber(e: Event): void {
    const input = e.target as HTMLInputElement;
    const value = Number(input.value);
    if (!Number.isFinite(value) || input.value === '') return;
    this.dispatchEvent(new SettingsChangeEvent({ [input.id]: value }));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'lway-adapt-controls': LwayAdaptControls;
  }
}
