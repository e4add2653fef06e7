import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { FetchBytes } from '../core/models/model-definition.js';

/** Default LPIPS weights folder: the team's shared data beside the repository (never copied into it). */
export const DEFAULT_LPIPS_DIR = resolve('../shared/lpips');

/** A FetchBytes reading files under `dir` (paths relative to it). */
export function fileFetchBytes(dir: string): FetchBytes {
  return async (relativePath) => {
    const buf = await readFile(join(dir, relativePath));
    return buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) as ArrayBuffer;
  };
}

/** FetchBytes for the LPIPS weights in `dir` (default ../shared/lpips, or $LWAY_LPIPS_DIR). */
export function lpipsFetchBytes(dir = process.env.LWAY_LPIPS_DIR ?? DEFAULT_LPIPS_DIR): FetchBytes {
  return fileFetchBytes(dir);
}
