import { readFile } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { existsSync } from 'node:fs';
import { AbortError, ModelLoadError, throwIfAborted } from '../core/errors.js';
import type { FetchBytes } from '../core/models/model-definition.js';

/** The command that (re)creates the converted weights under `models/`. */
export const SETUP_MODELS_COMMAND = 'npm run build (or: node --import tsx scripts/setup-models.ts)';

/**
 * A FetchBytes reading files of one model folder from disk (`modelDir/<relativePath>`). A missing file is a
 * ModelLoadError telling the user to run the set-up command; paths escaping `modelDir` are refused; a fired
 * `signal` rejects with AbortError.
 */
export function nodeFetchBytes(modelDir: string): FetchBytes {
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
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
        throw new ModelLoadError(
          `Model file ${path} is missing. Converted weights are made at install time; run ${SETUP_MODELS_COMMAND}.`,
          { cause: err },
        );
      }
      if ((err as Error).name === 'AbortError') throw new AbortError();
      throw err;
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
