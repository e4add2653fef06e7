import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { WireError } from '../../bridge/index.js';
import { describeError, wireErrorOf, type ErrorDescription } from '../describe-error.js';
import { estimateEta } from '../estimate-eta.js';
import type { BackendInfo, JobProgress, JobRequest, JobResult, JobRunner } from '../worker/index.js';

/** Where a job is: nothing yet, running, finished with a result, or failed. Cancel returns to idle. */
export type JobPhase = 'idle' | 'running' | 'result' | 'error';

/** Milliseconds clock; injectable so tests do not depend on wall time. */
export type Clock = () => number;

/**
 * Runs jobs through a JobRunner and keeps their state for the panel to render: progress, loss history, ETA,
 * backend, result or error. A new run aborts the previous one, and so does disconnecting the host element.
 */
export class JobController implements ReactiveController {
  phase: JobPhase = 'idle';
  progress?: JobProgress;
  losses: number[] = [];
  etaMs?: number;
  backend?: BackendInfo;
  request?: JobRequest;
  result?: JobResult;
  error?: ErrorDescription;
  /** The failed job's error as it came (name, code, message), for callers that branch on it. */
  failure?: WireError;

  private abort?: AbortController;
  private stageStartedAt = 0;
  private stage?: string;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly getRunner: () => JobRunner | undefined,
    private readonly now: Clock = () => performance.now(),
  ) {
    host.addController(this);
  }

  hostConnected(): void {}

  hostDisconnected(): void {
    this.abort?.abort();
  }

  /** Starts `request`, aborting any job in flight. Resolves when the job settles (never rejects). */
  async run(request: JobRequest): Promise<void> {
    this.abort?.abort();
    const runner = this.getRunner();
    const abort = new AbortController();
    this.abort = abort;
    Object.assign(this, {
      phase: 'running',
      request,
      result: undefined,
      error: undefined,
      failure: undefined,
      etaMs: undefined,
    });
    this.progress = undefined;
    this.losses = [];
    this.stage = undefined;
    this.host.requestUpdate();
    try {
      if (!runner) throw new Error('No job runner is connected to the panel');
      const result = await runner.run(request, {
        signal: abort.signal,
        onProgress: (p) => this.onProgress(p, abort.signal),
        onBackend: (info) => {
          if (abort.signal.aborted) return;
          this.backend = info;
          this.host.requestUpdate();
        },
      });
      if (abort.signal.aborted) return;
      this.result = result;
      this.backend = { backend: result.backend, fastPath: this.backend?.fastPath ?? true };
      this.phase = 'result';
    } catch (err) {
      if (abort.signal.aborted) return; // cancel() already reset the state
      this.failure = wireErrorOf(err);
      this.error = describeError(this.failure);
      this.phase = 'error';
    } finally {
      if (this.abort === abort) this.abort = undefined;
      this.host.requestUpdate();
    }
  }

  /** Cancels the job in flight (the worker gets the message at once) and drops its partial state. */
  cancel(): void {
    this.abort?.abort();
    this.abort = undefined;
    this.reset();
  }

  /** Back to idle: forgets result, error and progress. */
  reset(): void {
    this.phase = 'idle';
    this.progress = undefined;
    this.losses = [];
    this.etaMs = undefined;
    this.result = undefined;
    this.error = undefined;
    this.failure = undefined;
    this.request = undefined;
    this.host.requestUpdate();
  }

  private onProgress(p: JobProgress, signal: AbortSignal): void {
    if (signal.aborted) return;
    const t = this.now();
    if (p.stage !== this.stage) {
      this.stage = p.stage;
      this.stageStartedAt = t;
    }
    this.progress = p;
    if (p.loss !== undefined && p.stage === 'adapt') this.losses = [...this.losses, p.loss];
    this.etaMs = estimateEta(p, this.stageStartedAt, t);
    this.host.requestUpdate();
  }
}
