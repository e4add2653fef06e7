// Why LWay gains on one set and not another, without adapting anything: for each LR/HR pair, how consistent the
// unadapted SR output already is with the LR under the trained R — L1(R(S(x), E(x)), x) — next to the same figure
// for the true HR — L1(R(HR, E(x)), x), R's own error on this image. When the SR output is already more consistent
// than the HR, the LWay loss has nothing left that points towards the HR: minimising it fits R's errors instead.
// Adaptation starts from the tone-corrected output (tone is fitted inside its loss), so that output's figure is
// printed too: it is the one R's own error has to beat.
// With --residual-sigma s the residuals are low-passed first (Gaussian, s LR px), as adapt's residualSigma does:
// on noisy LR a residual's fine part is the noise realisation, which no R can predict from any HR.
//   npx tsx bench/r-consistency.ts [--model realesr-general-x4v3] [--stage1 dir] [--residual-sigma s] <pairs dir>...
// (pairs dirs hold LR/ and HR/ with matching names, e.g. build/pairs/city100-nikon from `npm run bench:quality`).
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { readImage } from '../src/cli/image-io.js';
import { selectBackend } from '../src/core/backend/select-backend.js';
import { createLrReconstruction, gaussianBlur } from '../src/core/adapt/index.js';
import { correctOutput, pixelsToTensor, tensorToPixels } from '../src/core/index.js';
import { tf } from '../src/core/tf.js';
import { loadPresetModel } from '../src/node/load-preset-model.js';
import { loadStage1Folder, stage1DirFor } from '../src/node/stage1-folder.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    model: { type: 'string', default: 'realesr-general-x4v3' },
    stage1: { type: 'string' },
    'residual-sigma': { type: 'string', default: '0' },
  },
});
await selectBackend('wasm');
const model = await loadPresetModel(values.model);
const nets = await loadStage1Folder(values.stage1 ?? stage1DirFor(model.scale));
const residualSigma = Number(values['residual-sigma']);
const l1 = (a: tf.Tensor4D, b: tf.Tensor4D): number =>
  tf.tidy(() => gaussianBlur(a.sub(b), residualSigma).abs().mean().dataSync()[0] * 255);
console.log(
  '| pairs | images | L1 R(S(x)) vs x (/255) | L1 R(tone(S(x))) vs x | L1 R(HR) vs x | S(x) more consistent than HR | tone(S(x)) more consistent than HR |',
);
console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
for (const dir of positionals) {
  const files = (await readdir(join(dir, 'LR'))).sort();
  let sr = 0;
  let toned = 0;
  let hr = 0;
  let below = 0;
  let tonedBelow = 0;
  for (const f of files) {
    const lrPixels = await readImage(join(dir, 'LR', f));
    const x = pixelsToTensor(lrPixels);
    const y = pixelsToTensor(await readImage(join(dir, 'HR', f)));
    const op = createLrReconstruction(nets, x);
    const s = tf.tidy(() => model.predict(x));
    const t = pixelsToTensor(correctOutput(lrPixels, await tensorToPixels(s), 'tone'));
    const [a, c, b] = tf.tidy(() => [
      l1(op.reconstruct(s), x),
      l1(op.reconstruct(t), x),
      l1(op.reconstruct(y), x),
    ]);
    sr += a;
    toned += c;
    hr += b;
    if (a < b) below++;
    if (c < b) tonedBelow++;
    op.dispose();
    tf.dispose([x, y, s, t]);
  }
  const n = files.length;
  const f2 = (v: number) => (v / n).toFixed(2);
  console.log(
    `| ${dir} | ${n} | ${f2(sr)} | ${f2(toned)} | ${f2(hr)} | ${below} of ${n} | ${tonedBelow} of ${n} |`,
  );
}
model.dispose();
nets.encoder.dispose();
nets.reconstructor.dispose();
