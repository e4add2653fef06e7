// Studies the flat-region guard (src/core/adapt/flat-region-guard.ts) on outputs saved by
// `bench/quality.ts --save-outputs` and `bench/grain.ts --save-outputs`, without adapting again: for each setting,
// the real photos' grain ratio (guarded adapted / unadapted, both bands) and each validation set's PSNR / LPIPS of
// the guarded adapted output against the unguarded one and tone.
//   tsx bench/flat-guard-study.ts --grain build/grain-outputs --pairs build/pairs/<set>-from12:<outputs dir> ...
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { readImage } from '../src/cli/image-io.js';
import {
  correctOutput,
  defaultCorrectionFor,
  flatRegionNoise,
  guardFlatRegions,
  psnr,
  type FlatRegionGuardOptions,
  type Pixels,
} from '../src/core/index.js';
import { createLpipsScorer, mean, readSavedPairs, splitPairsSpec } from './saved-outputs.js';
import { median } from './median.js';

const { values } = parseArgs({
  options: {
    grain: { type: 'string' },
    pairs: { type: 'string', multiple: true, default: [] },
    grid: { type: 'string', default: '1.5:3,2:4,3:6,4:8' },
    blur: { type: 'string', default: '1,2' },
  },
});
const correction = defaultCorrectionFor(undefined);
const settings: (FlatRegionGuardOptions & { label: string })[] = [{ label: 'off', flatBelow: -1 }];
for (const b of values.blur.split(',').map(Number)) {
  for (const g of values.grid.split(',')) {
    const [lo, hi] = g.split(':').map(Number);
    settings.push({ label: `${lo}:${hi} blur ${b}`, flatBelow: lo, detailAbove: hi, blurSigma: b });
  }
}
const apply = (lr: Pixels, a: Pixels, r: Pixels, s: FlatRegionGuardOptions): Pixels =>
  s.flatBelow! < 0 ? a : guardFlatRegions(lr, a, r, s);

if (values.grain) {
  const stems = (await readdir(values.grain)).filter((f) => f.endsWith('-lr.png')).map((f) => f.slice(0, -7));
  const photos = [];
  for (const stem of stems.sort()) {
    const lr = await readImage(join(values.grain, `${stem}-lr.png`));
    const u = await readImage(join(values.grain, `${stem}-unadapted.png`));
    const a = correctOutput(lr, await readImage(join(values.grain, `${stem}-adapted.png`)), correction);
    photos.push({ stem, lr, u, a, ref: correctOutput(lr, u, correction) });
  }
  console.log(`grain (${photos.length} photos): setting | fine median | LR-scale median | worst | > 1.10`);
  for (const s of settings) {
    const fine: number[] = [];
    const coarse: number[] = [];
    for (const p of photos) {
      const g = apply(p.lr, p.a, p.ref, s);
      const [u, a] = flatRegionNoise(p.lr, [p.u, g]);
      const [lu, la] = flatRegionNoise(p.lr, [p.u, g], { level: 3 });
      fine.push(a === u ? 1 : a / u);
      coarse.push(la === lu ? 1 : la / lu);
    }
    const over = coarse.filter((r, i) => !(r <= 1.1 && fine[i] <= 1.1)).length;
    if (process.env.VERBOSE)
      console.log(photos.map((p, i) => `${p.stem} ${fine[i].toFixed(2)}/${coarse[i].toFixed(2)}`).join(', '));
    console.log(
      `${s.label} | ${median(fine).toFixed(3)} | ${median(coarse).toFixed(3)} | ${Math.max(...coarse).toFixed(3)} | ${over}`,
    );
  }
}

const scorer = await createLpipsScorer();
for (const spec of values.pairs) {
  const [dir, outputs] = splitPairsSpec(spec);
  const imgs = [];
  for (const p of await readSavedPairs(dir, outputs)) {
    const { stem, lr, hr, unadapted: u } = p;
    const ref = correctOutput(lr, u, correction);
    const a = correctOutput(lr, p.adapted, correction);
    const base = { psnr: psnr(u, hr, { border: 4 }), lpips: await scorer.score(u, hr) };
    const tone = { psnr: psnr(ref, hr, { border: 4 }), lpips: await scorer.score(ref, hr) };
    imgs.push({ stem, lr, hr, a, ref, base, tone });
  }
  console.log(
    `${dir} (${imgs.length}): unadapted ${mean(imgs.map((i) => i.base.psnr)).toFixed(2)} / ` +
      `${mean(imgs.map((i) => i.base.lpips)).toFixed(4)}, tone ${mean(imgs.map((i) => i.tone.psnr)).toFixed(2)} / ` +
      `${mean(imgs.map((i) => i.tone.lpips)).toFixed(4)}`,
  );
  console.log('setting | PSNR | LPIPS | worst dPSNR vs unadapted | worst dLPIPS vs unadapted');
  for (const s of settings) {
    const rows = [];
    for (const i of imgs) {
      const g = apply(i.lr, i.a, i.ref, s);
      rows.push({ psnr: psnr(g, i.hr, { border: 4 }), lpips: await scorer.score(g, i.hr), base: i.base });
    }
    console.log(
      `${s.label} | ${mean(rows.map((r) => r.psnr)).toFixed(2)} | ${mean(rows.map((r) => r.lpips)).toFixed(4)} | ` +
        `${Math.min(...rows.map((r) => r.psnr - r.base.psnr)).toFixed(2)} | ` +
        `${Math.max(...rows.map((r) => r.lpips - r.base.lpips)).toFixed(4)}`,
    );
  }
}
await scorer.dispose();
