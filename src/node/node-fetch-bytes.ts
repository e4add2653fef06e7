import { readFile } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { existsSync } from 'node:fs';
import { AbortError, ModelLoadError, throwIfAborted, type FetchBytes } from '../core/index.js';

/** The command that (re)creates the converted weights under `models/`. */
export const SETUP_MODELS_COMMAND = 'npm run build (or: node --import tsx scripts/setup-models.ts)';

/** What a missing file's error tells the user to do, by default (converted Real-ESRGAN weights). */
export const DEFAULT_MISSING_HINT = `Converted weights are made at install time; run ${SETUP_MODELS_COMMAND}.`;

/**
 * A FetchBytes reading files of one model folder from disk (`modelDir/<relativePath>`): the one file reader of
 * the Node side (presets, LPIPS weights, stage-1 checkpoints). A missing file is a ModelLoadError ending with
 * `missingHint`, another read failure a ModelLoadError with the system's reason; paths escaping `modelDir` are
 * refused; a fired `signal` rejects with AbortError. Pass `missingHint` '' for none.
 */
export function nodeFetchBytes(modelDir: string, missingHint: string = DEFAULT_MISSING_HINT): FetchBytes {
  const root = resolve(modelDir);
  return async (relativePath, signal) => {
    const path = resolve(root, relativePath);
    if (path !== root && !path.startsWith(root + sep)) {
      throw new ModelLoadError(`Model file path "${relativePath}" leaves the model folder ${root}`);
    }
    throwIfAborted(signal);
    try {
      const buf = await readFile(path, { signal });
      return buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) as ArrayBuffer;
    } catch (err) {
      if ((err as Error).name === 'AbortError') throw new AbortError();
      const reason =
        (err as NodeJS.ErrnoException).code === 'ENOENT'
          ? 'is missing'
          : `cannot be read (${(err as Error).message})`;
      throw new ModelLoadError(`Model file ${path} ${reason}.${missingHint ? ` ${missingHint}` : ''}`, {
        cause: err,
      });
    }
  };
}

/**
 * The repository's `models/` folder, found from this module's location (works from `src/node` under tsx and from
 * `dist/node` after the build): the nearest ancestor holding `package.json` and `models/`.
 */
export function resolveModelsDir(from: string = dirname(fileURLToPath(import.meta.url))): string {
  let dir = resolve(from);
  for (;;) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'models'))) return join(dir, 'models');
    const parent = dirname(dir);
    if (parent === dir) {
      throw new ModelLoadError(`No models/ folder found above ${from}; is the package installed completely?`);
    }
    dir = parent;
  }
}
