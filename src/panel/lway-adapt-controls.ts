import { LitElement, html, css, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { SettingsChangeEvent } from './events.js';
import { DEFAULT_PANEL_SETTINGS, SETTING_RANGES, type PanelSettings } from './panel-settings.js';
import { BACKEND_CHOICES, type BackendChoice } from './job-types.js';
import { backendLabel } from './backend-label.js';
import { sharedStyles } from './shared-styles.js';
import { formatLearningRate } from './format-learning-rate.js';

type NumericKey =
  'strength' | 'steps' | 'lr' | 'paramFraction' | 'lpipsWeight' | 'residualSigma' | 'tileSize';

/**
 * The adaptation controls: on/off, DWT strength, steps, and an advanced section (learning rate, parameter
 * fraction, LPIPS weight, grain guard) and a performance section (tile size, backend). Every input is labelled and keyboard operable.
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
        ${this.range('strength', 'Detail emphasis (DWT strength)', s.strength.toFixed(2))}
        ${this.number('steps', 'Adaptation steps')}
        <details>
          <summary>Advanced</summary>
          ${this.number('lr', 'Learning rate')}
          ${this.range('paramFraction', 'Share of parameters tuned', `${Math.round(s.paramFraction * 100)}%`)}
          ${this.number('lpipsWeight', 'LPIPS weight')}
          ${this.number(
            'residualSigma',
            'Grain guard (low-pass sigma, LR px)',
            'Raise to 1 if the result shows grain or JPEG blocks.',
          )}
        </details>
      </fieldset>
      <details>
        <summary>Performance</summary>
        ${this.number('tileSize', 'Tile size (px)')}
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

  private range(key: NumericKey, label: string, shown: string): unknown {
    const r = SETTING_RANGES[key];
    return html`<div class="field">
      <div class="row"><label for=${key}>${label}</label><output for=${key}>${shown}</output></div>
      <input
        id=${key}
        type="range"
        min=${r.min}
        max=${r.max}
        step=${r.step}
        .value=${String(this.settings[key])}
        @input=${this.onNumber}
      />
    </div>`;
  }

  private number(key: NumericKey, label: string, hint?: string): unknown {
    const r = SETTING_RANGES[key];
    const hintId = `${key}-hint`;
    return html`<div class="field row">
        <label for=${key}>${label}</label>
        <input
          id=${key}
          type="number"
          min=${r.min}
          max=${r.max}
          step=${r.step}
          aria-describedby=${hint ? hintId : nothing}
          .value=${key === 'lr' ? formatLearningRate(this.settings.lr) : String(this.settings[key])}
          @change=${this.onNumber}
        />
      </div>
      ${hint ? html`<div class="hint" id=${hintId}>${hint}</div>` : nothing}`;
  }

  private onToggle(e: Event): void {
    this.dispatchEvent(new SettingsChangeEvent({ adaptEnabled: (e.target as HTMLInputElement).checked }));
  }

  private onBackend(e: Event): void {
    const backend = (e.target as HTMLSelectElement).value as BackendChoice;
    this.dispatchEvent(new SettingsChangeEvent({ backend }));
  }

  private onNumber(e: Event): void {
    const input = e.target as HTMLInputElement;
    const value = Number(input.value);
    if (!Number.isFinite(value) || input.value === '') return;
    this.dispatchEvent(new SettingsChangeEvent({ [input.id as NumericKey]: value }));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'lway-adapt-controls': LwayAdaptControls;
  }
}
