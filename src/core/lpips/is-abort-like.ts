import { AbortError } from '../errors.js';

/** True when `err` is our AbortError or the signal has fired (fetch rejects with a DOMException then). */
export function isAbortLike(err: unknown, signal?: AbortSignal): boolean {
  return err instanceof AbortError || signal?.aborted === true;
}
