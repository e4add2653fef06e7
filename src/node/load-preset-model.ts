import { getModelDefinition, type SrModel } from '../core/index.js';
import { missingModelHint, modelDirFor } from './model-files.js';
import { nodeFetchBytes } from './node-fetch-bytes.js';

/**
 * Loads a registry preset from this machine's files (see modelDirFor). Select the backend first: the weights
 * are created on the backend active at load time. Throws UNKNOWN_MODEL or ModelLoadError.
 */
export async function loadPresetModel(id: string, options: { signal?: AbortSignal } = {}): Promise<SrModel> {
  const def = getModelDefinition(id);
  return def.load({
    fetchBytes: nodeFetchBytes(modelDirFor(def), missingModelHint(def)),
    signal: options.signal,
  });
}
