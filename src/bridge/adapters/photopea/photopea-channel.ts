import { BridgeError, abortError } from '../../bridge-error.js';
import type { WarnFn } from '../../warn.js';
import { ECHO_PREFIX } from './photopea-scripts.js';

/** What one script produced: its echoes (prefix stripped, end marker excluded) and the buffers it saved. */
export interface ScriptReply {
  echoes: string[];
  buffers: ArrayBuffer[];
}

/** Options of {@link PhotopeaChannel}. */
export interface PhotopeaChannelOptions {
  /** Photopea's window (window.parent inside a plugin). */
  target: Pick<Window, 'postMessage'>;
  /** Our window, whose 'message' events carry Photopea's replies. */
  self: Pick<Window, 'addEventListener' | 'removeEventListener'>;
  /** Photopea's origin; messages from elsewhere are dropped and nothing is posted to '*'. */
  origin: string;
  warn: WarnFn;
  /** After a script's end marker, how long to wait for its "done" before moving on. */
  doneGraceMs?: number;
}

interface Job {
  seq: number;
  echoes: string[];
  buffers: ArrayBuffer[];
  ended: boolean;
  /** The end marker arrived: wait for "done" (or the grace period), then finish. */
  onEnd: () => void;
  finish: () => void;
}

/**
 * Runs Photopea scripts one at a time and matches replies to them. Photopea answers every message with "done",
 * but a "done" may be stale (left over from an earlier message) or early (before the script's output), so a
 * script counts as finished when its own `LWAY:<seq>:end` echo arrives; we then wait briefly for the "done" that
 * follows it, so the next script does not collect this one's late "done".
 */
export class PhotopeaChannel {
  private readonly o: PhotopeaChannelOptions;
  private queue: Promise<unknown> = Promise.resolve();
  private job: Job | null = null;
  private seq = 0;
  private readonly listener: (ev: MessageEvent) => void;

  constructor(options: PhotopeaChannelOptions) {
    this.o = options;
    this.listener = (ev) => this.onMessage(ev);
    options.self.addEventListener('message', this.listener as EventListener);
  }

  /** Next sequence number, to build the script with. */
  nextSeq(): number {
    return ++this.seq;
  }

  /** Queues a script built for `seq`; resolves when its end marker (and "done", or the grace period) arrived. */
  run(
    seq: number,
    script: string,
    options: { signal?: AbortSignal; timeoutMs?: number } = {},
  ): Promise<ScriptReply> {
    const p = this.queue.then(() => this.runNow(seq, script, options));
    this.queue = p.catch(() => undefined);
    return p;
  }

  /** Stops listening. Idempotent. */
  dispose(): void {
    this.o.self.removeEventListener('message', this.listener as EventListener);
    this.job?.finish();
    this.job = null;
  }

  private runNow(
    seq: number,
    script: string,
    o: { signal?: AbortSignal; timeoutMs?: number },
  ): Promise<ScriptReply> {
    if (o.signal?.aborted) return Promise.reject(abortError('Photopea script'));
    const timeoutMs = o.timeoutMs ?? 30_000;
    return new Promise<ScriptReply>((resolve, reject) => {
      let grace: ReturnType<typeof setTimeout> | undefined;
      const cleanup = () => {
        clearTimeout(timer);
        clearTimeout(grace);
        o.signal?.removeEventListener('abort', onAbort);
        if (this.job === job) this.job = null;
      };
      const job: Job = {
        seq,
        echoes: [],
        buffers: [],
        ended: false,
        onEnd: () => (grace = setTimeout(job.finish, this.o.doneGraceMs ?? 250)),
        finish: () => {
          cleanup();
          resolve({ echoes: job.echoes, buffers: job.buffers });
        },
      };
      const onAbort = () => {
        // The script may still run in Photopea; we stop waiting for it.
        cleanup();
        reject(abortError('Photopea script'));
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new BridgeError('TIMEOUT', `Photopea did not finish script ${seq} within ${timeoutMs} ms`));
      }, timeoutMs);
      o.signal?.addEventListener('abort', onAbort, { once: true });
      this.job = job;
      this.o.target.postMessage(script, this.o.origin);
    });
  }

  private onMessage(ev: MessageEvent): void {
    if (ev.source !== (this.o.target as unknown) || ev.origin !== this.o.origin) {
      this.o.warn('WRONG_SOURCE', `dropped a message from ${JSON.stringify(ev.origin)}: not Photopea`);
      return;
    }
    const job = this.job;
    const d: unknown = ev.data;
    if (d === 'done') {
      if (job?.ended) job.finish();
      return; // early or stale "done": the end marker decides
    }
    if (d instanceof ArrayBuffer) {
      if (job && !job.ended) job.buffers.push(d);
      else this.o.warn('STALE_REPLY', 'dropped a file from Photopea that no running script asked for');
      return;
    }
    if (typeof d === 'string' && d.startsWith(ECHO_PREFIX)) {
      const rest = d.slice(ECHO_PREFIX.length);
      const colon = rest.indexOf(':');
      const seq = Number(rest.slice(0, colon));
      const body = rest.slice(colon + 1);
      if (!job || seq !== job.seq || job.ended) {
        this.o.warn('STALE_REPLY', `dropped an echo of script ${seq}`);
        return;
      }
      if (body === 'end') {
        job.ended = true;
        job.onEnd();
      } else job.echoes.push(body);
      return;
    }
    this.o.warn('MALFORMED', `dropped an unexpected message from Photopea (${typeof d})`);
  }
}
