import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ModelLoadError } from '../core/errors.js';
import type { ModelDefinition } from '../core/models/model-definition.js';
import { upscalerJsPackageDir } from '../core/models/upscalerjs-presets.js';
import { DEFAULT_MISSING_HINT } from './node-fetch-bytes.js';

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

/** What to do when one of the preset's files is missing: `npm install` for UpscalerJS packages, else set-up. */
export function missingModelHint(def: ModelDefinition): string {
  const pkgDir = upscalerJsPackageDir(def.id);
  return pkgDir
    ? `Model ${def.id} ships in ${pkgDir.split('/models/')[0]}; run npm install.`
    : DEFAULT_MISSING_HINT;
}
