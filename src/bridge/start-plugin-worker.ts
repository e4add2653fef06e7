import { BridgeError } from './bridge-error.js';

/**
 * Starts a module Web Worker from the plugin page. The host SDK runs plugins in a sandboxed iframe without
 * allow-same-origin, so the page's origin is "null" and `new Worker('http://…/worker.js')` throws SecurityError
 * (a worker script must be same-origin with its creator). In that case the script is fetched (the server sends
 * CORS headers) and started from a data: URL (Chromium refuses module workers from blob: URLs of an opaque
 * origin; data: works), with its real URL stored in `globalThis.LWAY_WORKER_URL` so the worker can still
 * resolve relative paths (wasm binaries, models); read it with {@link pluginWorkerUrl}.
 */
export async function startPluginWorker(
  scriptUrl: URL | string,
  options: { signal?: AbortSignal } = {},
): Promise<Worker> {
  const url = new URL(scriptUrl, location.href);
  // self.origin, not location.origin: the latter reflects the URL, the former the (opaque) document origin.
  if (self.origin !== 'null') return new Worker(url, { type: 'module' });
  const res = await fetch(url, { signal: options.signal });
  if (!res.ok)
    throw new BridgeError('HOST_ERROR', `could not load worker script ${url.href}: HTTP ${res.status}`);
  const code = `globalThis.LWAY_WORKER_URL = ${JSON.stringify(url.href)};\n${await res.text()}`;
  return new Worker(`data:text/javascript;base64,${toBase64(new TextEncoder().encode(code))}`, {
    type: 'module',
  });
}

function toBase64(bytes: Uint8Array): string {
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin);
}

/** Inside a worker: the worker script's real URL (with its query string), also when started from a blob. */
export function pluginWorkerUrl(): URL {
  const g = globalThis as { LWAY_WORKER_URL?: unknown; location?: { href: string } };
  return new URL(typeof g.LWAY_WORKER_URL === 'string' ? g.LWAY_WORKER_URL : (g.location?.href ?? ''));
}
