import { LitElement, html, css, nothing, type PropertyValues } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import type { Pixels } from '../core/index.js';
import { drawPixels } from './draw-pixels.js';
import { heatMapRgba } from './heat-color.js';
import type { WeightMap } from './worker/index.js';
import { sharedStyles, stackedCanvasStyles } from './shared-styles.js';

/** Computes W for the preview; the panel passes the worker's `weightMap`, tests pass a plain function. */
export type WeightMapFn = (pixels: Pixels, strength: number) => Promise<WeightMap>;

/** Waits this long after the last slider move before asking for a new map, so dragging stays smooth. */
const DEBOUNCE_MS = 60;

/**
 * Live preview of LWay's weight map W over the selection: the image with a translucent heat-map overlay
 * (red = weighted most). Recomputes when the strength or the image changes; stale answers are dropped.
 */
@customElement('lway-weight-preview')
export class LwayWeightPreview extends LitElement {
  static override styles = [
    sharedStyles,
    stackedCanvasStyles,
    css`
      .stack {
        position: relative;
        width: 100%;
        max-width: 160px;
        aspect-ratio: var(--aspect, 1);
      }
      canvas {
        border-radius: 4px;
      }
    `,
  ];

  @property({ attribute: false }) pixels?: Pixels;
  @property({ type: Number }) strength = 0.5;
  @property({ attribute: false }) weightMapFn?: WeightMapFn;
  /** The map last drawn (for tests and for the panel's status line). */
  map?: WeightMap;
  @state() private failed = false;

  @query('#image') private imageCanvas?: HTMLCanvasElement;
  @query('#overlay') private overlayCanvas?: HTMLCanvasElement;
  private timer?: ReturnType<typeof setTimeout>;
  private generation = 0;

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('pixels') && this.pixels && this.imageCanvas) drawPixels(this.imageCanvas, this.pixels);
    if (changed.has('pixels') || changed.has('strength') || changed.has('weightMapFn')) this.schedule();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.timer);
  }

  /** Resolves once the map for the current inputs has been drawn (tests await it). */
  mapReady: Promise<void> = Promise.resolve();

  private schedule(): void {
    clearTimeout(this.timer);
    const fn = this.weightMapFn;
    const pixels = this.pixels;
    if (!fn || !pixels) return;
    const gen = ++this.generation;
    this.mapReady = new Promise<void>((resolve) => {
      this.timer = setTimeout(() => {
        fn(pixels, this.strength)
          .then((map) => {
            if (gen !== this.generation) return;
            this.map = map;
            this.failed = false;
            this.paint(map);
          })
          .catch(() => {
            if (gen === this.generation) this.failed = true;
          })
          .finally(resolve);
      }, DEBOUNCE_MS);
    });
  }

  private paint(map: WeightMap): void {
    const c = this.overlayCanvas;
    if (!c) return;
    c.width = map.width;
    c.height = map.height;
    c.getContext('2d')?.putImageData(new ImageData(heatMapRgba(map.data), map.width, map.height), 0, 0);
  }

  protected override render(): unknown {
    if (!this.pixels) return nothing;
    const aspect = this.pixels.width / this.pixels.height;
    return html`<div class="muted">Where adaptation looks (weight map W)</div>
      <div class="stack" style="--aspect:${aspect}">
        <canvas id="image" aria-hidden="true"></canvas>
        <canvas
          id="overlay"
          role="img"
          aria-label="Weight map at strength ${this.strength.toFixed(2)}: warm colours mark the edges and texture adaptation focuses on"
        ></canvas>
      </div>
      ${this.weightMapFn && !this.failed ? nothing : html`<p class="muted">Weight map preview unavailable.</p>`}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'lway-weight-preview': LwayWeightPreview;
  }
}
