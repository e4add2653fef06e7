import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { JobController } from './controllers/job-controller.js';
import { ThemeController } from './controllers/theme-controller.js';
import { describeThrown, WORKER_ERROR, type ErrorDescription } from './describe-error.js';
import { ResultActionEvent, SettingsChangeEvent } from './events.js';
import { estimateOutput, formatBytes } from './estimate-output.js';
import type { CachedAdaptationInfo, JobRunner, ModelSummary } from './worker/index.js';
import {
  adaptOptionsOf,
  buildJobRequest,
  changeSettings,
  DEFAULT_PANEL_SETTINGS,
  sameAdaptOptions,
  type PanelSettings,
} from './panel-settings.js';
import { describeAdaptSettings } from './adapt-controls.js';
import type { HostTheme, PanelHost, PanelSource } from './panel-host.js';
import { sharedStyles } from './shared-styles.js';
import { panelStyles } from './panel-styles.js';
import { backendLabel } from './backend-label.js';
import './lway-adapt-controls.js';
import './lway-compare.js';
import './lway-error-message.js';
import './lway-job-progress.js';
import './lway-model-picker.js';
import './lway-source-card.js';
import type { WeightMapFn } from './lway-weight-preview.js';
import './lway-weight-preview.js';

/** What the worker said it holds for a layer and model (the worker's cache is the only one; this is a view). */
interface CacheView {
  readonly layerId: string;
  readonly modelId: string;
  readonly info: CachedAdaptationInfo | null;
}

/**
 * The LWay panel: pick the source and a model, tune adaptation, run in a worker, compare, add as a new layer.
 * Talks to the editor only through `host` (PanelHost) and to TF.js only through `runner` (JobRunner).
 */
@customElement('lway-panel')
export class LwayPanel extends LitElement {
  static override styles = [sharedStyles, panelStyles];

  /** The editor; the panel reads the source and adds layers through it. */
  @property({ attribute: false }) host?: PanelHost;
  /** Where jobs run (a WorkerJobRunner in production). */
  @property({ attribute: false }) runner?: JobRunner;
  /** Presets offered; when unset the panel asks the runner (the registry lives in the worker). */
  @property({ attribute: false }) models?: readonly ModelSummary[];
  /** Theme the host reports; when unset the panel follows prefers-color-scheme. */
  @property() theme?: HostTheme;

  @state() source?: PanelSource;
  @state() settings: PanelSettings = DEFAULT_PANEL_SETTINGS;
  /** The adapted model the worker holds for the current layer and model, as it last said. */
  @state() private cacheView?: CacheView;
  /** The question in flight (a newer one supersedes it). */
  private cacheQuery = 0;
  @state() private notice?: string;
  @state() private sourceError?: ErrorDescription;
  @state() private adding = false;
  /** The runner's model list request in flight (settles once the first model is picked); run() waits on it. */
  private modelsLoading?: Promise<void>;
  /** Set when the panel asked to confirm a very large output for this source and scale (see largeKey). */
  @state() private confirmLargeFor?: string;

  private get largeKey(): string {
    const p = this.source?.pixels;
    return `${this.source?.layerId}:${p?.width}x${p?.height}x${this.settings.scale}`;
  }

  readonly job = new JobController(this, () => this.runner);
  /** The preview's map function, made once per runner: a new one each render would recompute the map. */
  private weightMapOf?: { readonly runner: JobRunner; readonly fn: WeightMapFn };

  private get weightMapFn(): WeightMapFn | undefined {
    const runner = this.runner;
    if (!runner) return undefined;
    if (this.weightMapOf?.runner !== runner)
      this.weightMapOf = { runner, fn: (p, s) => runner.weightMap(p, s) };
    return this.weightMapOf.fn;
  }

  private readonly themeController = new ThemeController(this);

  override connectedCallback(): void {
    super.connectedCallback();
    this.addEventListener('keydown', this.onKeydown);
    if (this.host && !this.source) void this.refreshSource();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.removeEventListener('keydown', this.onKeydown);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    this.themeController.hostTheme = this.theme;
    this.dataset.theme = this.themeController.theme;
    if (changed.has('runner') && this.runner && !this.models) {
      const runner = this.runner;
      this.modelsLoading = runner.models().then(
        async (models) => {
          if (this.runner !== runner || this.models) return;
          this.models = models;
          await this.updateComplete; // willUpdate picks the first model
        },
        (err: unknown) => void (this.sourceError = describeThrown(err)),
      );
    }
    const models = this.models ?? [];
    if (!this.settings.modelId && models.length > 0) {
      const m = models[0];
      this.settings = changeSettings(this.settings, { modelId: m.id, scale: m.scales[0] });
    }
    const view = this.cacheView;
    const layerId = this.source?.layerId;
    if (
      layerId &&
      this.settings.modelId &&
      (view?.layerId !== layerId || view.modelId !== this.settings.modelId)
    )
      void this.refreshCacheView();
  }

  /** Asks the worker which adapted model it holds for the current layer and model. */
  private async refreshCacheView(): Promise<void> {
    const runner = this.runner;
    const layerId = this.source?.layerId;
    const modelId = this.settings.modelId;
    if (!runner || !layerId || !modelId) return;
    const query = ++this.cacheQuery;
    // Marks the question asked, so willUpdate does not ask again while the answer is on its way.
    this.cacheView = { layerId, modelId, info: this.cacheView?.info ?? null };
    let info: CachedAdaptationInfo | null = null;
    try {
      info = await runner.cachedAdaptation(layerId, modelId);
    } catch {
      // A worker that died (or is restarting) holds nothing.
    }
    if (query === this.cacheQuery) this.cacheView = { layerId, modelId, info };
  }

  /** Reads the active layer's selection (or the whole layer) from the host. */
  async refreshSource(): Promise<void> {
    if (!this.host) return;
    try {
      this.source = await this.host.getSource();
      this.sourceError = undefined;
      if (this.job.phase !== 'running') this.job.reset();
    } catch (err) {
      this.sourceError = describeThrown(err);
    }
  }

  /** Shows an error that happened outside a job (e.g. connecting to the host) in plain words. */
  reportError(err: unknown): void {
    this.sourceError = describeThrown(err);
  }

  /**
   * Starts a job with the current settings and source. Called before the worker has listed its models, it waits
   * for the list (a job without a model would fail with UNKNOWN_MODEL "").
   */
  async run(): Promise<void> {
    if (!this.source) return;
    if (!this.settings.modelId && this.modelsLoading) {
      this.notice = 'Waiting for the model list…';
      await this.modelsLoading;
      if (this.notice === 'Waiting for the model list…') this.notice = undefined;
    }
    if (!this.settings.modelId) {
      this.notice = 'No model is available yet, so nothing was run.';
      return;
    }
    const out = estimateOutput(this.source.pixels.width, this.source.pixels.height, this.settings.scale);
    if (out.large && this.confirmLargeFor !== this.largeKey) {
      // Very large outputs need a second, deliberate press: they are slow and can exhaust memory.
      this.confirmLargeFor = this.largeKey;
      this.notice = `This makes a ${out.width} × ${out.height} px image (about ${formatBytes(out.bytes)} of memory). Press “Upscale anyway” to go ahead.`;
      return;
    }
    this.confirmLargeFor = undefined;
    this.notice = undefined;
    const request = buildJobRequest(this.settings, this.source);
    await this.job.run(request);
    // Whatever happened (a result, a cancel, a worker that died and took its models with it), ask again.
    if (this.job.request === request) {
      if (this.job.failure?.name === WORKER_ERROR) this.cacheView = undefined;
      await this.refreshCacheView();
    }
  }

  /** The worker's adapted model for the current layer and model, once it has said so. */
  private get cached(): CachedAdaptationInfo | undefined {
    const view = this.cacheView;
    const current = view?.layerId === this.source?.layerId && view?.modelId === this.settings.modelId;
    return current ? (view?.info ?? undefined) : undefined;
  }

  /** Frees the adapted model cached for the current layer and model (the next run adapts again). */
  async clearAdaptation(): Promise<void> {
    const cached = this.cached;
    if (!cached || !this.runner) return;
    await this.runner.clearCache(cached.key);
    await this.refreshCacheView();
    this.notice = 'Adapted model cleared; the next run adapts again.';
  }

  private async onResultAction(e: ResultActionEvent): Promise<void> {
    const result = this.job.result;
    const source = this.job.request && this.source;
    if (e.action === 'discard' || !result || !source || !this.host) {
      this.job.reset();
      this.notice = 'Result discarded.';
      return;
    }
    this.adding = true;
    try {
      const adapted = this.job.request?.adapt && !result.adaptationUnavailable;
      await this.host.addLayer(result.pixels, {
        name: `${source.layerName} ×${this.job.request?.scale ?? this.settings.scale}${adapted ? ' (LWay)' : ''}`,
        x: source.x,
        y: source.y,
      });
      this.job.reset();
      this.notice = 'Added as a new layer.';
    } catch (err) {
      // Keep the result so nothing is lost; the user can retry.
      this.sourceError = describeThrown(err);
    } finally {
      this.adding = false;
    }
  }

  private onSettings(e: SettingsChangeEvent): void {
    this.settings = changeSettings(this.settings, e.changes);
  }

  private readonly onKeydown = (e: KeyboardEvent): void => {
    if (e.key === 'Escape' && this.job.phase === 'running') {
      e.preventDefault();
      this.job.cancel();
      this.notice = 'Cancelled.';
    }
  };

  protected override render(): unknown {
    const job = this.job;
    const running = job.phase === 'running';
    const cached = this.cached;
    const reusable = cached !== undefined && sameAdaptOptions(cached.settings, adaptOptionsOf(this.settings));
    const described = cached ? describeAdaptSettings(cached.settings) : '';
    const result = job.result;
    return html`
      <section aria-labelledby="h-source">
        <div class="row head">
          <h2 id="h-source">Source</h2>
          <button id="refresh" ?disabled=${running || !this.host} @click=${() => this.refreshSource()}>
            Use selection
          </button>
        </div>
        <lway-source-card .source=${this.source} .scale=${this.settings.scale}></lway-source-card>
      </section>
      <section aria-labelledby="h-model" @lway-settings-change=${this.onSettings}>
        <h2 id="h-model">Model</h2>
        <lway-model-picker
          .models=${this.models ?? []}
          .modelId=${this.settings.modelId}
          .scale=${this.settings.scale}
        ></lway-model-picker>
      </section>
      <section aria-labelledby="h-adapt" @lway-settings-change=${this.onSettings}>
        <h2 id="h-adapt">Adaptation</h2>
        <lway-adapt-controls .settings=${this.settings}></lway-adapt-controls>
        ${
          this.settings.adaptEnabled && this.source
            ? html`<lway-weight-preview
                .pixels=${this.source.pixels}
                .strength=${this.settings.strength}
                .weightMapFn=${this.weightMapFn}
              ></lway-weight-preview>`
            : nothing
        }
        ${
          cached
            ? html`<div class="row cache" data-testid="cache-status">
                <span data-reusable=${reusable}
                  >${
                    reusable
                      ? this.settings.adaptEnabled
                        ? `This layer already has an adapted model (${described}); it will be reused.`
                        : `This layer has an adapted model (${described}); adaptation is off for this run.`
                      : this.settings.adaptEnabled
                        ? `This layer has an adapted model for other settings (${described}); the next run adapts again with the current ones.`
                        : `This layer has an adapted model (${described}); adaptation is off for this run.`
                  }</span
                >
                <button id="clear-cache" ?disabled=${running} @click=${() => this.clearAdaptation()}>
                  Clear
                </button>
              </div>`
            : nothing
        }
      </section>
      <section aria-labelledby="h-run">
        <h2 id="h-run" class="visually-hidden">Run</h2>
        ${this.notice ? html`<p class="note muted" role="status" data-testid="notice">${this.notice}</p>` : nothing}
        ${this.sourceError ? html`<lway-error-message .error=${this.sourceError}></lway-error-message>` : nothing}
        ${
          running
            ? html`<lway-job-progress
                .progress=${job.progress}
                .losses=${job.losses}
                .backend=${job.backend}
                .etaMs=${job.etaMs}
                .adapting=${Boolean(job.request?.adapt)}
              ></lway-job-progress>`
            : nothing
        }
        ${job.phase === 'error' ? html`<lway-error-message .error=${job.error}></lway-error-message>` : nothing}
        ${
          job.phase === 'result' && result && this.source
            ? html`${
                  result.adaptationUnavailable
                    ? html`<p class="note" role="status" data-testid="adapt-unavailable">
                        Adaptation is not available in this build yet, so this is a plain upscale.
                      </p>`
                    : nothing
                }
                ${result.notices.map(
                  (n) => html`<p class="note" role="status" data-testid="adapt-notice">${n}</p>`,
                )}
                ${
                  result.reusedAdaptation
                    ? html`<p class="note muted" data-testid="reused">Reused this layer's adapted model.</p>`
                    : nothing
                }
                <lway-compare
                  .beforePixels=${this.source.pixels}
                  .afterPixels=${result.pixels}
                  @lway-result-action=${this.onResultAction}
                ></lway-compare>
                <p class="muted" data-testid="result-facts">
                  ${result.pixels.width} × ${result.pixels.height} px in
                  ${(result.elapsedMs / 1000).toFixed(1)} s on ${backendLabel(result.backend)}; worker memory
                  after the job: ${result.memoryAfter.numTensors} tensors
                </p>
                ${
                  result.adaptedSteps !== undefined
                    ? html`<p class="muted" data-testid="adapted-steps">
                        Adapted with ${result.adaptedSteps} LWay step${result.adaptedSteps === 1 ? '' : 's'}.
                      </p>`
                    : nothing
                }`
            : nothing
        }
        <div class="row run">
          ${
            running
              ? html`<button id="cancel" @click=${this.onCancel}>Cancel</button>`
              : html`<button
                  id="run"
                  class="primary"
                  ?disabled=${!this.source || !this.runner || !this.settings.modelId || this.adding}
                  @click=${() => this.run()}
                >
                  ${
                    !this.settings.modelId && this.runner && !this.models
                      ? 'Loading models…'
                      : this.confirmLargeFor === this.largeKey
                        ? 'Upscale anyway'
                        : job.phase === 'result'
                          ? 'Run again'
                          : 'Upscale'
                  }
                </button>`
          }
        </div>
      </section>
    `;
  }

  private onCancel(): void {
    this.job.cancel();
    this.notice = 'Cancelled.';
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'lway-panel': LwayPanel;
  }
}
