import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ModelLoadError } from '../core/errors.js';
import type { FetchBytes, ModelDefinition } from '../core/models/model-definition.js';
import { upscalerJsPackageDir } from '../core/models/upscalerjs-presets.js';

/** The repository (or installed package) root: this file is src/node/ or dist/node/ under it. */
export const PACKAGE_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * The folder holding a preset's files on this machine. UpscalerJS presets are read straight from their npm
 * package in node_modules (no copy to keep in sync, present right after `npm install`); the others from
 * `models/<weightsDir>/`, which scripts/setup-models.ts fills.
 */
export function modelDirFor(def: ModelDefinition): string {
  const pkgDir = upscalerJsPackageDir(def.id);
  if (pkgDir) {
    // The packages' `exports` maps hide package.json and models/, so walk node_modules folders instead.
    for (let dir = PACKAGE_ROOT; ; dir = dirname(dir)) {
      const candidate = join(dir, 'node_modules', pkgDir);
      if (existsSync(join(candidate, 'model.json'))) return candidate;
      if (dirname(dir) === dir) break;
    }
    throw new ModelLoadError(
      `Model ${def.id} needs the npm package ${pkgDir.split('/models/')[0]}; run npm install`,
    );
  }
  return join(PACKAGE_ROOT, 'models', def.weightsDir);
}

/** A FetchBytes reading files under `dir`; a missing file becomes ModelLoadError naming it. */
export function fileFetchBytes(dir: string, modelId: string): FetchBytes {
  return async (relativePath) => {
    const path = resolve(dir, relativePath);
    if (!path.startsWith(resolve(dir) + sep)) {
      throw new ModelLoadError(`Model ${modelId} refers to a file outside its folder: ${relativePath}`);
    }
    try {
      const buf = await readFile(path);
      return buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) as ArrayBuffer;
    } catch (err) {
      const hint = upscalerJsPackageDir(modelId) ? 'run npm install' : 'run npm run setup-models';
      throw new ModelLoadError(`Model ${modelId}: cannot read ${path} (${(err as Error).message}); ${hint}`, {
        cause: err,
      });
    }
  };
}
