// Reading what `bench/quality.ts --save-outputs` saved (each image's raw unadapted and adapted outputs beside its
// set's LR/HR pairs), and an LPIPS-alex scorer on the wasm backend: the two things the output-step studies
// (flat-guard-study.ts, sharpness-frontier.ts) share, so they can study a post-processing step without adapting again.
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { readImage } from '../src/cli/image-io.js';
import { pixelsToTensor, selectBackend, tf, type Pixels } from '../src/core/index.js';
import { createNodeAdaptSession } from '../src/node/index.js';

export interface SavedPair {
  readonly stem: string;
  readonly lr: Pixels;
  readonly hr: Pixels;
  /** The preset model's raw output. */
  readonly unadapted: Pixels;
  /** The adapted model's raw output (before the quick fix and the guard). */
  readonly adapted: Pixels;
}

/** The saved outputs in `outputs` with their LR and HR from `dir` (`<set>` or `<set>-from12`), by name. */
export async function readSavedPairs(dir: string, outputs: string): Promise<SavedPair[]> {
  const suffix = '-adapted.png';
  const stems = (await readdir(outputs))
    .filter((f) => f.endsWith(suffix))
    .map((f) => f.slice(0, -suffix.length))
    .sort();
  const pairs: SavedPair[] = [];
  for (const stem of stems) {
    pairs.push({
      stem,
      lr: await readImage(join(dir, 'LR', `${stem}.png`)),
      hr: await readImage(join(dir, 'HR', `${stem}.png`)),
      unadapted: await readImage(join(outputs, `${stem}-unadapted.png`)),
      adapted: await readImage(join(outputs, `${stem}${suffix}`)),
    });
  }
  return pairs;
}

/** `--pairs dir:outputs` as [dir, outputs]. */
export function splitPairsSpec(spec: string): [string, string] {
  const [dir, outputs] = spec.split(':');
  if (!dir || !outputs) throw new Error(`--pairs wants <set dir>:<outputs dir>; got ${spec}`);
  return [dir, outputs];
}

export interface LpipsScorer {
  /** LPIPS-alex distance of two images of one size. */
  score(a: Pixels, b: Pixels): Promise<number>;
  dispose(): Promise<void>;
}

/** The product's LPIPS-alex on the wasm backend (the quality bench's metric). */
export async function createLpipsScorer(): Promise<LpipsScorer> {
  await selectBackend('wasm');
  const session = createNodeAdaptSession();
  const load = await session.lpips();
  if (!load.ok) throw new Error(load.warning.message);
  const { lpips } = load;
  return {
    async score(a, b) {
      const d = tf.tidy(() => lpips.distance(pixelsToTensor(a), pixelsToTensor(b)));
      try {
        return (await d.data())[0];
      } finally {
        d.dispose();
      }
    },
    dispose: () => session.dispose(),
  };
}

export const mean = (v: readonly number[]): number => v.reduce((s, x) => s + x, 0) / v.length;
