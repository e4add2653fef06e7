// How much of adaptation's PSNR gain is a trade of sharpness for PSNR that closed-form math can also make.
// For outputs saved by `bench/quality.ts --save-outputs` it scores a one-parameter family of both the quick fix
// (tone on the unadapted output) and the product's adapted output (tone, then the flat-region guard):
//   out(t) = tone(y) + t (twoBand(y) - tone(y)),  t in [0, 1],
// where twoBand is tone with a separate gain for the band above a Gaussian of `--sigma` HR px (per channel,
// x ~ aL area(G y) + aH area(y - G y) + b, least squares against the LR). Least squares shrinks x4v3's over-strong
// high band (aH 0.3-0.6 on real pairs), which raises PSNR and, on noisy input, LPIPS. Comparing the two curves at
// equal LPIPS says what adaptation adds beyond the trade. Not a product step (bench study, 2026-11-30).
//   tsx bench/sharpness-frontier.ts --pairs build/pairs/<set>-from12:<outputs dir> ... [--t 0,0.25,0.5,0.75,1]
import { parseArgs } from 'node:util';
import {
  correctOutput,
  defaultCorrectionFor,
  guardFlatRegions,
  psnr,
  type Pixels,
} from '../src/core/index.js';
import {
  filter2d,
  floatImageFromPixels,
  floatImageToPixels,
  gaussianKernel,
  resize,
  type FloatImage,
} from '../src/core/degrade/index.js';
import { createLpipsScorer, mean, readSavedPairs, splitPairsSpec } from './saved-outputs.js';

const { values } = parseArgs({
  options: {
    pairs: { type: 'string', multiple: true, default: [] },
    t: { type: 'string', default: '0,0.25,0.5,0.75,1' },
    sigma: { type: 'string', default: '4' },
  },
});
const ts = values.t.split(',').map(Number);
const sigma = Number(values.sigma);
const correction = defaultCorrectionFor(undefined);

/** Solves the 3x3 system A v = b (Cramer's rule; A is a Gram matrix, well conditioned for real images). */
function solve3(A: number[][], b: number[]): [number, number, number] {
  const det = (m: number[][]) =>
    m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1]) -
    m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0]) +
    m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0]);
  const d = det(A);
  const col = (k: number) => A.map((row, i) => row.map((v, j) => (j === k ? b[i] : v)));
  return [det(col(0)) / d, det(col(1)) / d, det(col(2)) / d];
}

function twoBandTone(lr: Pixels, y: Pixels): Pixels {
  const img = floatImageFromPixels(y);
  const low = filter2d(
    img,
    gaussianKernel(2 * Math.ceil(3 * sigma) + 1, { sigmaX: sigma, sigmaY: sigma, theta: 0 }),
  );
  const high: FloatImage = { ...img, data: img.data.map((v, i) => v - low.data[i]) };
  const x = floatImageFromPixels(lr);
  const dl = resize(low, lr.width, lr.height, 'area');
  const dh = resize(high, lr.width, lr.height, 'area');
  const n = lr.width * lr.height;
  const N = y.width * y.height;
  const out = new Float32Array(img.data.length);
  for (let c = 0; c < 3; c++) {
    const A = [0, 1, 2].map(() => [0, 0, 0]);
    const b = [0, 0, 0];
    for (let i = c * n; i < (c + 1) * n; i++) {
      const f = [dl.data[i], dh.data[i], 1];
      for (let p = 0; p < 3; p++) {
        b[p] += f[p] * x.data[i];
        for (let q = 0; q < 3; q++) A[p][q] += f[p] * f[q];
      }
    }
    const [aL, aH, off] = solve3(A, b);
    for (let i = c * N; i < (c + 1) * N; i++) out[i] = aL * low.data[i] + aH * high.data[i] + off;
  }
  return floatImageToPixels({ data: out, width: y.width, height: y.height }, y);
}

const mix = (a: Pixels, b: Pixels, t: number): Pixels => ({
  ...a,
  data: Uint8Array.from(a.data, (v, i) => Math.round(v + t * (b.data[i] - v))),
});

const scorer = await createLpipsScorer();
for (const spec of values.pairs) {
  const [dir, outputs] = splitPairsSpec(spec);
  const rows = new Map<string, { psnr: number; lpips: number }[]>();
  const add = async (key: string, out: Pixels, hr: Pixels) => {
    const list = rows.get(key) ?? [];
    list.push({ psnr: psnr(out, hr, { border: 4 }), lpips: await scorer.score(out, hr) });
    rows.set(key, list);
  };
  for (const p of await readSavedPairs(dir, outputs)) {
    const control = [correctOutput(p.lr, p.unadapted, correction), twoBandTone(p.lr, p.unadapted)];
    const adapted = [correctOutput(p.lr, p.adapted, correction), twoBandTone(p.lr, p.adapted)].map((a, k) =>
      guardFlatRegions(p.lr, a, control[k]),
    );
    await add('tone+ibp (for reference)', correctOutput(p.lr, p.unadapted, 'tone+ibp'), p.hr);
    for (const t of ts) {
      await add(`control t=${t}`, mix(control[0], control[1], t), p.hr);
      await add(`adapted t=${t}`, mix(adapted[0], adapted[1], t), p.hr);
    }
  }
  console.log(
    `\n${dir} (${outputs}, sigma ${sigma} HR px)\n\n| output | PSNR | LPIPS |\n| --- | ---: | ---: |`,
  );
  for (const [key, list] of rows) {
    console.log(
      `| ${key} | ${mean(list.map((r) => r.psnr)).toFixed(2)} | ${mean(list.map((r) => r.lpips)).toFixed(4)} |`,
    );
  }
}
await scorer.dispose();
