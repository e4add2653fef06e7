import { LitElement, html, css, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { formatDuration, overallFraction } from './estimate-eta.js';
import type { BackendInfo, JobProgress } from './worker/index.js';
import './lway-loss-curve.js';
import { sharedStyles } from './shared-styles.js';
import { backendLabel } from './backend-label.js';

const STAGE_LABEL = { load: 'Loading model', adapt: 'Adapting to the image', upscale: 'Upscaling' } as const;

/** Progress of a running job: bar with step/total, ETA, backend in use, and the loss curve while adapting. */
@customElement('lway-job-progress')
export class LwayJobProgress extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      .bar {
        height: 8px;
        border-radius: 4px;
        background: var(--lway-inset-bg, #f2f2f5);
        overflow: hidden;
      }
      .fill {
        height: 100%;
        background: var(--lway-accent, #0a66ff);
        transition: width 0.2s;
      }
      .row {
        justify-content: space-between;
        margin: 4px 0;
      }
      .hint {
        color: var(--lway-warn-fg, #6b4e00);
      }
    `,
  ];

  @property({ attribute: false }) progress?: JobProgress;
  @property({ attribute: false }) losses: readonly number[] = [];
  @property({ attribute: false }) backend?: BackendInfo;
  @property({ type: Number }) etaMs?: number;
  @property({ type: Boolean }) adapting = false;

  private etaText(): string {
    if (this.etaMs === undefined) return '';
    return this.etaMs < 1000 ? 'under 1 s left' : `about ${formatDuration(this.etaMs)} left`;
  }

  protected override render(): unknown {
    const p = this.progress;
    const fraction = p ? overallFraction(p, this.adapting) : 0;
    const pct = Math.round(fraction * 100);
    const backend = this.backend;
    return html`
      <div
        class="bar"
        role="progressbar"
        aria-label="Job progress"
        aria-valuemin="0"
        aria-valuemax="100"
        aria-valuenow=${pct}
        aria-valuetext=${p ? `${STAGE_LABEL[p.stage]}: ${p.step} of ${p.total}` : 'Starting'}
      >
        <div class="fill" style="width:${pct}%"></div>
      </div>
      <div class="row" aria-live="polite">
        <span data-testid="stage">${p ? `${STAGE_LABEL[p.stage]} ${p.step}/${p.total}` : 'Starting…'}</span>
        <span data-testid="eta">${this.etaText()}</span>
      </div>
      <div class="muted" data-testid="backend">
        ${backend ? html`Running on ${backendLabel(backend.backend)}` : 'Starting the engine…'}
      </div>
      ${
        backend && !backend.fastPath
          ? html`<div class="hint" data-testid="slow-hint">
              GPU acceleration is unavailable here, so this runs on the CPU and will be slow. Enable WebGPU or
              WebGL in your browser for a faster run.
            </div>`
          : nothing
      }
      ${this.adapting ? html`<lway-loss-curve .losses=${this.losses}></lway-loss-curve>` : nothing}
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'lway-job-progress': LwayJobProgress;
  }
}
