import { existsSync } from 'node:fs';
import { copyFile, rename, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { LwayError, loadStage1, serializeStage1, type LoadedStage1, tf } from '../core/index.js';
import { fileFetchBytes } from './lpips-weights.js';
import { PACKAGE_ROOT } from './model-files.js';

/** Where trained stage-1 models ship: `<package>/models/lway-degradation/x<scale>/`. */
export const STAGE1_MODELS_DIR = join(PACKAGE_ROOT, 'models', 'lway-degradation');

/** The shipped stage-1 folder for `scale` (it may not exist). */
export function stage1DirFor(scale: number, root = STAGE1_MODELS_DIR): string {
  return join(root, `x${scale}`);
}

/** True when `dir` holds a loadable model file (weights.json, or a training checkpoint). */
export function hasStage1Weights(dir: string): boolean {
  return existsSync(join(dir, 'weights.json')) || existsSync(join(dir, 'checkpoint.json'));
}

/**
 * Loads E and R from a training output folder: weights.json when present, else the latest checkpoint.json (its
 * Adam moments are disposed, not returned). Throws ModelLoadError (via loadStage1) on bad files and BAD_INPUT when
 * the folder holds neither.
 */
export async function loadStage1Folder(dir: string, signal?: AbortSignal): Promise<LoadedStage1> {
  const file = existsSync(join(dir, 'weights.json'))
    ? 'weights.json'
    : existsSync(join(dir, 'checkpoint.json'))
      ? 'checkpoint.json'
      : null;
  if (!file) throw new LwayError('BAD_INPUT', `${dir} holds neither weights.json nor checkpoint.json`);
  const loaded = await loadStage1(fileFetchBytes(dir), { file, signal });
  tf.dispose(Object.values(loaded.extra));
  return { ...loaded, extra: {} };
}

/**
 * Writes `<out>/weights.{json,bin}` (the shippable model: E and R only, training step kept in the manifest) from
 * `<from>/checkpoint.{json,bin}`; copies loss.csv along when `out` differs. Returns the checkpoint's step.
 */
export async function exportStage1Checkpoint(from: string, out = from): Promise<number> {
  if (!existsSync(join(from, 'checkpoint.json')))
    throw new LwayError('BAD_INPUT', `--export: no checkpoint.json in ${from}`);
  const loaded = await loadStage1(fileFetchBytes(from), { file: 'checkpoint.json' });
  try {
    const step = Number(loaded.manifest.training?.step ?? NaN);
    const art = await serializeStage1(loaded, {
      training: { step, seed: loaded.manifest.training?.seed, exportedFrom: 'checkpoint' },
    });
    await writeFile(join(out, 'weights.bin.tmp'), new Uint8Array(art.weightData));
    await writeFile(join(out, 'weights.json.tmp'), JSON.stringify(art.manifest, null, 1));
    await rename(join(out, 'weights.bin.tmp'), join(out, 'weights.bin'));
    await rename(join(out, 'weights.json.tmp'), join(out, 'weights.json'));
    if (resolve(out) !== resolve(from) && existsSync(join(from, 'loss.csv')))
      await copyFile(join(from, 'loss.csv'), join(out, 'loss.csv'));
    return step;
  } finally {
    tf.dispose(Object.values(loaded.extra));
    loaded.encoder.dispose();
    loaded.reconstructor.dispose();
  }
}
