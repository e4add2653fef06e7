import { join } from 'node:path';
import type { FetchBytes } from '../core/index.js';
import { PACKAGE_ROOT } from './model-files.js';
import { nodeFetchBytes } from './node-fetch-bytes.js';

/** Default LPIPS weights folder: `models/lpips/` of this package (shipped with it; see its README). */
export const DEFAULT_LPIPS_DIR = join(PACKAGE_ROOT, 'models', 'lpips');

/** A FetchBytes reading files under `dir` (paths relative to it); see nodeFetchBytes for its errors. */
export function fileFetchBytes(dir: string): FetchBytes {
  return nodeFetchBytes(dir, '');
}

/** FetchBytes for the LPIPS weights in `dir` (default $LWAY_LPIPS_DIR, else the package's models/lpips/). */
export function lpipsFetchBytes(dir = process.env.LWAY_LPIPS_DIR || DEFAULT_LPIPS_DIR): FetchBytes {
  return fileFetchBytes(dir);
}
