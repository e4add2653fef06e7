/** A beat on a liveness port: `sentinel` is true when it comes from the sentinel thread, not the worker's own. */
export interface LivenessBeat {
  readonly sentinel: boolean;
}

/** The sentinel: a nested worker whose only job is to beat. Classic script, inlined so no file needs serving. */
const SENTINEL_SOURCE = `onmessage = (e) => {
  const { port, beatMs } = e.data;
  const beat = () => port.postMessage({ sentinel: true });
  beat();
  setInterval(beat, beatMs);
};`;

/** The subset of MessagePort used here; Node's has `unref`, which keeps a test process from waiting on it. */
interface BeatPort {
  postMessage(message: unknown, transfer?: Transferable[]): void;
  unref?(): void;
}

/**
 * Starts the worker's liveness beats, every `beatMs`, on the two ports the panel handed over: `own` from this
 * thread, `sentinel` from a nested worker. Why both: this thread cannot beat during a long synchronous step (a
 * wasm tile can take a minute), but a nested worker can, and it dies with its parent; so when the sentinel's beats
 * stop, the worker is gone (closed itself, terminated, crashed without an error event). The own beats tell the
 * panel the worker is up where a nested worker cannot start (the panel then allows a much longer silence).
 */
export function startLivenessBeats(own: BeatPort, sentinel: BeatPort | undefined, beatMs: number): void {
  const beat = (): void => own.postMessage({ sentinel: false } satisfies LivenessBeat);
  beat();
  const timer = setInterval(beat, beatMs) as unknown as { unref?: () => void };
  timer.unref?.();
  own.unref?.();
  if (!sentinel || typeof Worker !== 'function' || typeof Blob !== 'function') return;
  try {
    const url = URL.createObjectURL(new Blob([SENTINEL_SOURCE], { type: 'text/javascript' }));
    new Worker(url).postMessage({ port: sentinel, beatMs }, [sentinel as unknown as Transferable]);
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
  } catch {
    // No nested workers here (or blob: workers are blocked): the own beats remain.
  }
}
