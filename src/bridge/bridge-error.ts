import type { WireError } from './protocol.js';

/** Codes a bridge error carries; callers branch on these. Open on the wire, closed here. */
export type BridgeErrorCode =
  | 'PROTOCOL'
  | 'TIMEOUT'
  | 'ABORTED'
  | 'PERMISSION_DENIED'
  | 'UNSUPPORTED'
  | 'VERSION_MISMATCH'
  | 'DISCONNECTED'
  | 'NO_LAYER'
  | 'NO_DOCUMENT'
  | 'EMPTY_LAYER'
  | 'OUTSIDE_LAYER'
  | 'BAD_MANIFEST'
  | 'HOST_ERROR';

/**
 * Error raised by the bridge on either side. It crosses postMessage as `{ name, code, message }` (no stack) and is
 * rebuilt as a BridgeError with the same name and code, so `err.name === 'AbortError'` survives the trip.
 * (Bridge cannot import core's LwayError: the import direction is panel -> bridge -> protocol only.)
 */
export class BridgeError extends Error {
  readonly code: BridgeErrorCode | (string & {});
  constructor(
    code: BridgeErrorCode | (string & {}),
    message: string,
    options?: { cause?: unknown; name?: string },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = options?.name ?? 'BridgeError';
    this.code = code;
  }
}

/**
 * Turns anything thrown into a wire error `{ name, code, message }`: the one encoder of errors that cross
 * postMessage, bridge or worker. An error without a string `code` gets `fallbackCode` (HOST_ERROR on the bridge;
 * the panel's worker passes INTERNAL). Stacks stay home; long strings are clipped to what WireErrorSchema accepts.
 */
export function toWireError(err: unknown, fallbackCode: string = 'HOST_ERROR'): WireError {
  const clip = (s: string, n: number) => (s.length > n ? s.slice(0, n - 1) + '…' : s);
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code;
    return {
      name: clip(err.name || 'Error', 64),
      code: typeof code === 'string' && code.length > 0 ? clip(code, 64) : fallbackCode,
      message: clip(err.message, 1024),
    };
  }
  return { name: 'Error', code: fallbackCode, message: clip(String(err), 1024) };
}

/** Rebuilds a wire error on the receiving side. */
export function fromWireError(e: WireError): BridgeError {
  return new BridgeError(e.code, e.message, { name: e.name });
}

/** The error a request rejects with when its signal fires. */
export function abortError(what: string): BridgeError {
  return new BridgeError('ABORTED', `${what} was cancelled`, { name: 'AbortError' });
}
