import { LitElement, html, css, type PropertyValues } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import type { Pixels } from '../core/index.js';
import { drawPixels } from './draw-pixels.js';
import { ResultActionEvent } from './events.js';
import { sharedStyles, stackedCanvasStyles } from './shared-styles.js';

/**
 * Before/after comparison of the selection: the source (enlarged with nearest neighbour, as the editor would
 * show it) on the left of a split line, the result on the right. The split is a labelled range input, so it
 * works with arrow keys; "1:1" shows the result at its real pixel size in a scroll box.
 * @fires lway-result-action `add` or `discard`
 */
@customElement('lway-compare')
export class LwayCompare extends LitElement {
  static override styles = [
    sharedStyles,
    stackedCanvasStyles,
    css`
      .view {
        position: relative;
        overflow: auto;
        max-height: 320px;
        border-radius: 4px;
        background: repeating-conic-gradient(#8884 0% 25%, transparent 0% 50%) 50% / 12px 12px;
      }
      .stage {
        position: relative;
      }
      .split-line {
        position: absolute;
        top: 0;
        bottom: 0;
        width: 2px;
        background: #fff;
        box-shadow: 0 0 2px #000;
        pointer-events: none;
      }
      .tag {
        position: absolute;
        top: 4px;
        padding: 0 4px;
        font-size: 11px;
        border-radius: 3px;
        background: #000a;
        color: #fff;
      }
      .actions {
        margin-top: 8px;
        justify-content: flex-end;
      }
    `,
  ];

  @property({ attribute: false }) beforePixels?: Pixels;
  @property({ attribute: false }) afterPixels?: Pixels;
  /** Split position in percent of the width: left of it shows before, right of it after. */
  @state() split = 50;
  @state() zoom1to1 = false;
  @query('#before') private beforeCanvas?: HTMLCanvasElement;
  @query('#after') private afterCanvas?: HTMLCanvasElement;

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('beforePixels') && this.beforePixels && this.beforeCanvas)
      drawPixels(this.beforeCanvas, this.beforePixels);
    if (changed.has('afterPixels') && this.afterPixels && this.afterCanvas)
      drawPixels(this.afterCanvas, this.afterPixels);
  }

  protected override render(): unknown {
    const after = this.afterPixels;
    if (!after || !this.beforePixels) return html``;
    const size = this.zoom1to1
      ? `width:${after.width}px;height:${after.height}px`
      : `width:100%;aspect-ratio:${after.width / after.height}`;
    return html`
      <div class="view" data-testid="view">
        <div class="stage" style=${size}>
          <canvas id="before" aria-hidden="true"></canvas>
          <canvas id="after" aria-hidden="true" style="clip-path: inset(0 0 0 ${this.split}%)"></canvas>
          <div class="split-line" style="left:calc(${this.split}% - 1px)"></div>
          <span class="tag" style="left:4px">Before</span>
          <span class="tag" style="right:4px">After</span>
        </div>
      </div>
      <label for="split">Before / after split</label>
      <input id="split" type="range" min="0" max="100" .value=${String(this.split)} @input=${this.onSplit} />
      <div class="row actions">
        <label class="row" style="margin-right:auto">
          <input id="zoom" type="checkbox" .checked=${this.zoom1to1} @change=${this.onZoom} /> Zoom 1:1
        </label>
        <button id="discard" @click=${() => this.dispatchEvent(new ResultActionEvent('discard'))}>
          Discard
        </button>
        <button id="add" class="primary" @click=${() => this.dispatchEvent(new ResultActionEvent('add'))}>
          Add as new layer
        </button>
      </div>
    `;
  }

  private onSplit(e: Event): void {
    this.split = Number((e.target as HTMLInputElement).value);
  }

  private onZoom(e: Event): void {
    this.zoom1to1 = (e.target as HTMLInputElement).checked;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'lway-compare': LwayCompare;
  }
}
