import { mkdir, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Pixels } from '../core/index.js';
import { writeImage } from './image-io.js';

/** An output file could not be written; the message is one line: the path, why, and what to do. */
export class OutputError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'OutputError';
  }
}

/**
 * Writes `pixels` to `path` (format from the extension), creating its folder. Failures become one
 * {@link OutputError} line instead of a raw `EEXIST: file already exists, mkdir ...` or libvips's three lines.
 */
export async function writeOutput(path: string, pixels: Pixels): Promise<void> {
  const folder = dirname(path);
  try {
    await mkdir(folder, { recursive: true });
  } catch (err) {
    throw new OutputError(`cannot write ${path}: ${await whyNoFolder(folder, err)}`, { cause: err });
  }
  try {
    await writeImage(path, pixels);
  } catch (err) {
    throw new OutputError(`cannot write ${path}: ${await whyNoFile(path, err)}`, { cause: err });
  }
}

const CHOOSE = 'choose another output (-o)';

async function whyNoFolder(folder: string, err: unknown): Promise<string> {
  // mkdir says EEXIST or ENOTDIR when some part of the path is a file: name that part.
  for (let p = folder; ; p = dirname(p)) {
    const info = await stat(p).catch(() => undefined);
    if (info && !info.isDirectory()) return `${p} is a file, not a folder; ${CHOOSE}`;
    if (info || dirname(p) === p) break;
  }
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
    return `no permission to create the folder ${folder}; ${CHOOSE} or fix the folder's permissions`;
  }
  return `cannot create the folder ${folder} (${firstLine(err)}); ${CHOOSE}`;
}

async function whyNoFile(path: string, err: unknown): Promise<string> {
  if ((await stat(path).catch(() => undefined))?.isDirectory()) {
    return `it is a folder; remove it or ${CHOOSE}`;
  }
  const text = err instanceof Error ? err.message : String(err);
  // libvips reports the OS's reason on a line of its own ("system error: Permission denied").
  const reason = /(?:system|unix) error: (.+)/.exec(text)?.[1]?.trim() ?? (err as NodeJS.ErrnoException).code;
  if (reason && /permission denied|EACCES|EPERM|read-only|EROFS/i.test(reason)) {
    return `no permission to write there; ${CHOOSE} or fix the folder's permissions`;
  }
  if (reason && /no space|ENOSPC/i.test(reason)) return `the disk is full; free some space or ${CHOOSE}`;
  return `${reason ?? firstLine(err)}; ${CHOOSE}`;
}

function firstLine(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split('\n')[0].trim();
}
