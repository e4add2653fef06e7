import { readdir, realpath, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { LwayError } from '../core/index.js';
import { assertImagePath, IMAGE_EXTENSIONS, isImagePath } from './image-io.js';

/** One input file and where its result goes. */
export interface UpscaleJob {
  readonly input: string;
  readonly output: string;
}

/**
 * Expands folders; one file input writes to `output` as a file, anything else into `output` as a folder.
 * Throws BAD_INPUT, before any work, when an output resolves to an input (same file through `.`, `..`, a trailing
 * slash or a symlink) unless `overwrite` is set: `lway upscale a.png -o a.png` must not replace its source.
 */
export async function planUpscaleJobs(
  inputs: readonly string[],
  output: string,
  options: { overwrite?: boolean } = {},
): Promise<UpscaleJob[]> {
  const jobs = await planJobs(inputs, output);
  if (options.overwrite) return jobs;
  const sources = new Map<string, string>();
  for (const j of jobs) sources.set(await canonicalPath(j.input), j.input);
  const clashes: [UpscaleJob, string][] = [];
  for (const j of jobs) {
    const source = sources.get(await canonicalPath(j.output));
    if (source !== undefined) clashes.push([j, source]);
  }
  if (clashes.length > 0) {
    const [[job, source]] = clashes;
    const more = clashes.length > 1 ? ` (and ${clashes.length - 1} more)` : '';
    throw new LwayError(
      'BAD_INPUT',
      `output ${job.output} would overwrite its input ${source}${more}; choose another output (-o) or pass --overwrite`,
    );
  }
  return jobs;
}

/** The real absolute path of `path`, or of its folder plus its name when it does not exist yet. */
async function canonicalPath(path: string): Promise<string> {
  const abs = resolve(path);
  try {
    return await realpath(abs);
  } catch {
    return join(await realpath(dirname(abs)).catch(() => dirname(abs)), basename(abs));
  }
}

async function planJobs(inputs: readonly string[], output: string): Promise<UpscaleJob[]> {
  const files: string[] = [];
  let sawFolder = false;
  for (const input of inputs) {
    const info = await stat(input).catch(() => undefined);
    if (!info) throw new LwayError('BAD_INPUT', `${input}: no such file or folder`);
    if (info.isDirectory()) {
      sawFolder = true;
      const names = (await readdir(input)).filter(isImagePath).sort();
      if (names.length === 0) {
        throw new LwayError('BAD_INPUT', `${input}: folder holds no ${IMAGE_EXTENSIONS.join('/')} images`);
      }
      files.push(...names.map((n) => join(input, n)));
    } else {
      assertImagePath(input);
      files.push(input);
    }
  }
  if (files.length === 1 && !sawFolder) {
    const outInfo = await stat(output).catch(() => undefined);
    if (outInfo?.isDirectory()) return [{ input: files[0], output: join(output, basename(files[0])) }];
    assertImagePath(output, 'output');
    return [{ input: files[0], output }];
  }
  if (isImagePath(output)) {
    throw new LwayError(
      'BAD_INPUT',
      `output ${output} must be a folder when there are ${files.length} inputs`,
    );
  }
  const seen = new Set<string>();
  return files.map((input) => {
    const out = join(output, basename(input));
    if (seen.has(out)) throw new LwayError('BAD_INPUT', `two inputs would both write ${out}`);
    seen.add(out);
    return { input, output: out };
  });
}
