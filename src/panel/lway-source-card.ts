import { LitElement, html, css, nothing, type PropertyValues } from 'lit';
import { customElement, property, query } from 'lit/decorators.js';
import { drawPixels } from './draw-pixels.js';
import { estimateOutput, formatBytes } from './estimate-output.js';
import type { PanelSource } from './panel-host.js';
import { sharedStyles } from './shared-styles.js';

/**
 * Shows what will be upscaled: a thumbnail of the selection (or whole layer), its size, the output size, and a
 * warning with a memory estimate when the output gets very large.
 */
@customElement('lway-source-card')
export class LwaySourceCard extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      .card {
        display: grid;
        grid-template-columns: 64px 1fr;
        gap: 10px;
        align-items: center;
      }
      canvas {
        width: 64px;
        height: 64px;
        object-fit: contain;
        background: repeating-conic-gradient(#8884 0% 25%, transparent 0% 50%) 50% / 12px 12px;
        border-radius: 4px;
      }
      .warn {
        margin-top: 6px;
        padding: 6px 8px;
        border-radius: 6px;
        background: var(--lway-warn-bg, #fff4d6);
        color: var(--lway-warn-fg, #6b4e00);
      }
    `,
  ];

  @property({ attribute: false }) source?: PanelSource;
  @property({ type: Number }) scale = 4;
  @query('canvas') private canvas?: HTMLCanvasElement;

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('source') && this.source && this.canvas) drawPixels(this.canvas, this.source.pixels);
  }

  protected override render(): unknown {
    const s = this.source;
    if (!s)
      return html`<p class="muted">No source yet. Select an area on a layer, then press “Use selection”.</p>`;
    const { width, height } = s.pixels;
    const out = estimateOutput(width, height, this.scale);
    return html`
      <div class="card">
        <canvas
          role="img"
          aria-label="Thumbnail of ${s.isSelection ? 'the selection' : 'the layer'}"
        ></canvas>
        <div>
          <div><strong>${s.layerName}</strong> · ${s.isSelection ? 'selection' : 'whole layer'}</div>
          <div class="muted" data-testid="sizes">
            ${width} × ${height} px → ${out.width} × ${out.height} px
          </div>
        </div>
      </div>
      ${
        out.large
          ? html`<div class="warn" role="alert" data-testid="large-warning">
              Large output: about ${formatBytes(out.bytes)} of memory. This may be slow or fail on this device
              — consider a smaller selection or scale.
            </div>`
          : nothing
      }
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'lway-source-card': LwaySourceCard;
  }
}
