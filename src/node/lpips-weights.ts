import { resolve } from 'node:path';
import type { FetchBytes } from '../core/models/model-definition.js';
import { nodeFetchBytes } from './node-fetch-bytes.js';

/** Default LPIPS weights folder: the team's shared data beside the repository (never copied into it). */
export const DEFAULT_LPIPS_DIR = resolve('../shared/lpips');

/** A FetchBytes reading files under `dir` (paths relative to it); see nodeFetchBytes for its errors. */
export function fileFetchBytes(dir: string): FetchBytes {
  return nodeFetchBytes(dir, '');
}

/** FetchBytes for the LPIPS weights in `dir` (default ../shared/lpips, or $LWAY_LPIPS_DIR). */
export function lpipsFetchBytes(dir = process.env.LWAY_LPIPS_DIR ?? DEFAULT_LPIPS_DIR): FetchBytes {
  return fileFetchBytes(dir);
}
