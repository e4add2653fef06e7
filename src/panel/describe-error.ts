import { toWireError, type WireError } from '../bridge/index.js';

/** Error name of a worker that stopped (crashed, or died silently); its adapted-model cache went with it. */
export const WORKER_ERROR = 'WorkerError';

/** An error in plain words: what happened and what to try next. */
export interface ErrorDescription {
  readonly title: string;
  readonly nextStep: string;
  /** The technical message, shown under a disclosure for bug reports. */
  readonly detail: string;
}

const OOM =
  /out of memory|OOM|allocation failed|Failed to allocate|Cannot enlarge memory|GPUOutOfMemoryError/i;

/** The wire form of anything thrown on the panel's side: the bridge's encoder, INTERNAL for errors without a code. */
export function wireErrorOf(err: unknown): WireError {
  return toWireError(err, 'INTERNAL');
}

/** Describes anything thrown, in plain words (see describeError). */
export function describeThrown(err: unknown): ErrorDescription {
  return describeError(wireErrorOf(err));
}

/** Describes an error for the panel. Branches on `code` first, then on well-known message shapes. */
export function describeError(err: WireError): ErrorDescription {
  const detail = `${err.code}: ${err.message}`;
  const code =
    err.name === WORKER_ERROR
      ? 'WORKER'
      : err.code === 'INTERNAL' && OOM.test(err.message)
        ? 'OUT_OF_MEMORY'
        : err.code;
  switch (code) {
    case 'OUT_OF_MEMORY':
      return {
        title: 'The graphics memory ran out.',
        nextStep: 'Lower the tile size or the scale, or select a smaller area, then run again.',
        detail,
      };
    case 'ABORTED':
      return { title: 'The job was cancelled.', nextStep: 'Run again when you are ready.', detail };
    case 'MODEL_LOAD':
      return {
        title: 'The model could not be loaded.',
        nextStep: 'Check your connection and run again, or pick another model.',
        detail,
      };
    case 'UNKNOWN_MODEL':
      return { title: 'This model is not available.', nextStep: 'Pick another model from the list.', detail };
    case 'BACKEND_UNAVAILABLE':
      return {
        title: 'No way to run the model in this browser.',
        nextStep: 'Update the browser or enable WebGPU/WebGL, then reload the plugin.',
        detail,
      };
    case 'DIVERGED':
      return {
        title: 'Adaptation became unstable.',
        nextStep: 'Lower the learning rate or the number of steps, or turn adaptation off.',
        detail,
      };
    case 'BAD_INPUT':
      return {
        title: 'The selection cannot be used as it is.',
        nextStep: 'Select a non-empty area on a pixel layer and try again.',
        detail,
      };
    case 'NO_LAYER':
      return {
        title: 'There is no active layer.',
        nextStep: 'Open an image and pick a pixel layer.',
        detail,
      };
    case 'NO_DOCUMENT':
      return {
        title: 'Open an image first.',
        nextStep: 'Open or create an image in the editor, then press “Use selection”.',
        detail,
      };
    case 'EMPTY_LAYER':
      return {
        title: 'The layer has no visible pixels.',
        nextStep:
          'Pick a layer with visible content (check its opacity and folder), then press “Use selection”.',
        detail,
      };
    case 'PERMISSION_DENIED':
      return {
        title: 'The editor did not allow this.',
        nextStep: 'Grant the plugin access to layers and the selection in the editor, then try again.',
        detail,
      };
    case 'UNSUPPORTED':
    case 'VERSION_MISMATCH':
      return {
        title: 'This editor does not support what the plugin needs.',
        nextStep: 'Update the editor or the plugin.',
        detail,
      };
    case 'TIMEOUT':
    case 'DISCONNECTED':
    case 'HOST_ERROR':
    case 'PROTOCOL':
      return {
        title: 'The editor did not answer.',
        nextStep: 'Make sure a document is open, then try again.',
        detail,
      };
    case 'WORKER':
      return {
        title: 'The background worker stopped unexpectedly.',
        nextStep: 'Run again; if it keeps happening, reload the plugin.',
        detail,
      };
    default:
      return {
        title: 'Something went wrong.',
        nextStep: 'Run again; if it keeps happening, reload the plugin and report the details below.',
        detail,
      };
  }
}
