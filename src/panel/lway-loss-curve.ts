import { LitElement, svg, html, css } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { lossPath } from './loss-path.js';
import { sharedStyles } from './shared-styles.js';

const W = 200;
const H = 48;

/** A small live loss curve (SVG), scaled to the losses' own range. */
@customElement('lway-loss-curve')
export class LwayLossCurve extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      svg {
        width: 100%;
        height: 48px;
        background: var(--lway-inset-bg, #f2f2f5);
        border-radius: 4px;
      }
      path {
        fill: none;
        stroke: var(--lway-accent, #0a66ff);
        stroke-width: 1.5;
      }
    `,
  ];

  @property({ attribute: false }) losses: readonly number[] = [];

  protected override render(): unknown {
    const last = this.losses.at(-1);
    const label =
      last === undefined
        ? 'Loss curve, no steps yet'
        : `Loss curve, ${this.losses.length} steps, latest ${last.toFixed(4)}`;
    return html`<svg viewBox="0 0 ${W} ${H}" preserveAspectRatio="none" role="img" aria-label=${label}>
        ${svg`<path d=${lossPath(this.losses, W, H)}></path>`}
      </svg>
      <div class="muted">Loss ${last === undefined ? '—' : last.toFixed(4)}</div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'lway-loss-curve': LwayLossCurve;
  }
}
