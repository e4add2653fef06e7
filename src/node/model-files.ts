import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ModelLoadError, type ModelDefinition } from '../core/index.js';
import { DEFAULT_MISSING_HINT } from './node-fetch-bytes.js';

/** The repository (or installed package) root: this file is src/node/ or dist/node/ under it. */
export const PACKAGE_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * The folder holding a preset's files on this machine. Presets shipped as TF.js LayersModels in an npm package
 * (UpscalerJS) are read straight from that package, a runtime dependency, so they work after any install
 * (`--omit=dev`, `--ignore-scripts`) without set-up; the others from `models/<weightsDir>/`, which
 * scripts/setup-models.ts fills. (Set-up also copies the packaged ones to `models/<id>/` for the browser.)
 */
export function modelDirFor(def: ModelDefinition): string {
  const { source } = def;
  if (source.kind === 'tfjs-layers') {
    // The packages' `exports` maps hide package.json and models/, so walk node_modules folders instead.
    for (let dir = PACKAGE_ROOT; ; dir = dirname(dir)) {
      const candidate = join(dir, 'node_modules', source.package, source.dir);
      if (existsSync(join(candidate, 'model.json'))) return candidate;
      if (dirname(dir) === dir) break;
    }
    throw new ModelLoadError(`Model ${def.id} needs the npm package ${source.package}; run npm install`);
  }
  return join(PACKAGE_ROOT, 'models', def.weightsDir);
}

/** What to do when one of the preset's files is missing: `npm install` for packaged models, else set-up. */
export function missingModelHint(def: ModelDefinition): string {
  return def.source.kind === 'tfjs-layers'
    ? `Model ${def.id} ships in ${def.source.package}; run npm install.`
    : DEFAULT_MISSING_HINT;
}
