/**
 * Resolves on a macrotask, so messages and timers queued meanwhile run first. Long loops in core (tiles, LWay
 * steps) await it between iterations: an `await` on a settled promise (a wasm or cpu `data()`) only yields to
 * microtasks, so a worker running such a loop would never receive the panel's `cancel` message until it ended.
 * setTimeout is the macrotask every runtime core runs in (browser page, worker, Node) has.
 */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}
