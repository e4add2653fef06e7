import { throwIfAborted } from './errors.js';
import { yieldToEventLoop } from './yield-to-event-loop.js';

/**
 * A long synchronous computation cut into steps: a generator that yields between them and returns the result.
 * Whole-image passes after tiling (the quick fix, the flat-region guard) take seconds on a 16-megapixel output;
 * written as steps, one body serves the benches (run straight through) and the product (which yields to the event
 * loop between steps, so a worker can receive the panel's cancel).
 */
export type Steps<T> = Generator<void, T, void>;

/** Runs every step at once. */
export function runSteps<T>(steps: Steps<T>): T {
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
  }
}

/** Runs the steps with a macrotask between them; rejects with AbortError between steps once `signal` aborts. */
export async function runStepsCooperatively<T>(steps: Steps<T>, signal?: AbortSignal): Promise<T> {
  throwIfAborted(signal);
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
    await yieldToEventLoop();
    throwIfAborted(signal);
  }
}
