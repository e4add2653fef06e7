import { LitElement, html, css, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { SettingsChangeEvent } from './events.js';
import { formatBytes } from './estimate-output.js';
import type { ModelSummary } from './worker/index.js';
import { sharedStyles } from './shared-styles.js';

const SPEED_LABEL = { fast: 'Fast', medium: 'Medium speed', slow: 'Slow, best detail' } as const;

/**
 * Picks the model preset and, where the model offers several, the scale. Shows size, speed hint and licence.
 * @fires lway-settings-change with `modelId` and `scale`
 */
@customElement('lway-model-picker')
export class LwayModelPicker extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      select {
        width: 100%;
      }
      .facts {
        margin-top: 4px;
      }
    `,
  ];

  @property({ attribute: false }) models: readonly ModelSummary[] = [];
  @property() modelId = '';
  @property({ type: Number }) scale = 4;

  protected override render(): unknown {
    if (this.models.length === 0) {
      return html`<p class="muted" role="status">No models are installed in this build.</p>`;
    }
    const current = this.models.find((m) => m.id === this.modelId) ?? this.models[0];
    return html`
      <label for="model">Model</label>
      <select id="model" @change=${this.onModel}>
        ${this.models.map(
          (m) =>
            html`<option value=${m.id} ?selected=${m.id === current.id}>
              ${m.name} (×${m.scales.join('/×')})
            </option>`,
        )}
      </select>
      <div class="facts muted" data-testid="model-facts">
        ${SPEED_LABEL[current.speedHint]} · ${formatBytes(current.sizeBytes)} · Licence: ${current.licence}
      </div>
      ${
        current.scales.length > 1
          ? html`<label for="scale">Scale</label>
              <select id="scale" @change=${this.onScale}>
                ${current.scales.map((s) => html`<option value=${s} ?selected=${s === this.scale}>×${s}</option>`)}
              </select>`
          : nothing
      }
    `;
  }

  private onModel(e: Event): void {
    const model = this.models.find((m) => m.id === (e.target as HTMLSelectElement).value);
    if (!model) return;
    const scale = model.scales.includes(this.scale) ? this.scale : model.scales[0];
    this.dispatchEvent(new SettingsChangeEvent({ modelId: model.id, scale }));
  }

  private onScale(e: Event): void {
    this.dispatchEvent(new SettingsChangeEvent({ scale: Number((e.target as HTMLSelectElement).value) }));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'lway-model-picker': LwayModelPicker;
  }
}
