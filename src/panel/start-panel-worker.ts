/** Global the page sets in a blob-started worker so it can still resolve paths against its real URL. */
export const WORKER_URL_GLOBAL = 'LWAY_WORKER_URL';

/**
 * Starts the panel's worker. From a normal page this is `new Worker(url, { type: 'module' })`. The host SDK runs
 * the plugin in a sandboxed iframe (opaque origin: `self.origin === 'null'`, although `location.origin` still shows
 * the server's), where a worker script must be same-origin and a blob: *module* worker fails to load in Chromium;
 * so there the script is fetched (the server sends CORS headers) and started as a *classic* worker from a blob:
 * URL — which works because the build inlines every import into one file. The real URL is stored in
 * `globalThis.LWAY_WORKER_URL` for {@link workerScriptUrl}.
 */
export async function startPanelWorker(
  scriptUrl: URL,
  options: { signal?: AbortSignal } = {},
): Promise<Worker> {
  if (globalThis.origin !== 'null') return new Worker(scriptUrl, { type: 'module' });
  const res = await fetch(scriptUrl, { signal: options.signal });
  if (!res.ok) throw new Error(`Could not load the worker script ${scriptUrl.href}: HTTP ${res.status}`);
  const code = `globalThis.${WORKER_URL_GLOBAL} = ${JSON.stringify(scriptUrl.href)};\n${await res.text()}`;
  const blobUrl = URL.createObjectURL(new Blob([code], { type: 'text/javascript' }));
  const worker = new Worker(blobUrl);
  // The worker holds its own reference once it has loaded; revoke later rather than racing the load.
  setTimeout(() => URL.revokeObjectURL(blobUrl), 60_000);
  return worker;
}
