/**
 * Inside the worker: its script's real URL with the query string, also when the page started it from a blob:
 * URL (see startPanelWorker), so relative paths (wasm binaries, models) resolve against the server.
 */
export function workerScriptUrl(): URL {
  const g = globalThis as { LWAY_WORKER_URL?: unknown; location?: { href: string } };
  return new URL(typeof g.LWAY_WORKER_URL === 'string' ? g.LWAY_WORKER_URL : (g.location?.href ?? ''));
}
