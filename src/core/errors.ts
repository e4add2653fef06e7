/**
 * Errors thrown by core. Callers branch on `code` (a closed union) or on the subclass where one exists.
 * Messages name the problem, the value received and what is allowed.
 */
export const LWAY_ERROR_CODES = [
  'ABORTED',
  'BAD_INPUT',
  'UNKNOWN_MODEL',
  'MODEL_LOAD',
  'OUT_OF_MEMORY',
  'BACKEND_UNAVAILABLE',
  'UNSUPPORTED_FORMAT',
  'TIMEOUT',
  'PROTOCOL',
  'DISPOSED',
  'DIVERGED',
  'INTERNAL',
] as const;
export type LwayErrorCode = (typeof LWAY_ERROR_CODES)[number];

/** Base class of every error core throws on purpose. */
export class LwayError extends Error {
  readonly code: LwayErrorCode;
  constructor(code: LwayErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'LwayError';
    this.code = code;
  }
}

/** A long job stopped because its AbortSignal fired. */
export class AbortError extends LwayError {
  constructor(message = 'The operation was cancelled') {
    super('ABORTED', message);
    this.name = 'AbortError';
  }
}

/** Model weights or definition could not be loaded (missing, corrupt, wrong shape). */
export class ModelLoadError extends LwayError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('MODEL_LOAD', message, options);
    this.name = 'ModelLoadError';
  }
}

/** The backend ran out of memory; the advice in the message says what to lower. */
export class OutOfMemoryError extends LwayError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('OUT_OF_MEMORY', message, options);
    this.name = 'OutOfMemoryError';
  }
}

/** A resource was used after `dispose()`. */
export class DisposedError extends LwayError {
  constructor(what: string) {
    super('DISPOSED', `${what} was used after dispose()`);
    this.name = 'DisposedError';
  }
}

/**
 * Rebuilds an error that crossed postMessage as `{ name, code, message }` (see the bridge's toWireError) as the
 * same core class: AbortError, OutOfMemoryError, ModelLoadError, DisposedError by code, else an LwayError keeping
 * its name; an unknown code becomes INTERNAL.
 */
export function lwayErrorFrom(w: {
  readonly name: string;
  readonly code: string;
  readonly message: string;
}): LwayError {
  if (w.code === 'ABORTED') return new AbortError(w.message);
  if (w.code === 'OUT_OF_MEMORY') return new OutOfMemoryError(w.message);
  if (w.code === 'MODEL_LOAD') return new ModelLoadError(w.message);
  const known = (LWAY_ERROR_CODES as readonly string[]).includes(w.code);
  const err = new LwayError(known ? (w.code as LwayErrorCode) : 'INTERNAL', w.message);
  err.name = w.name;
  return err;
}

/** Throws AbortError if the signal has fired. Call between tiles and between optimisation steps. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new AbortError();
}

/** Heuristic: does this backend error mean "out of memory"? WebGL, WebGPU and WASM word it differently. */
export function isOutOfMemory(err: unknown): boolean {
  const text = err instanceof Error ? `${err.name} ${err.message}` : String(err);
  return /out of memory|\bOOM\b|allocation failed|Failed to allocate|Cannot enlarge memory|RangeError: Array buffer allocation|exceeds the max|GPUOutOfMemoryError/i.test(
    text,
  );
}
