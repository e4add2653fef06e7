// Why LWay gains on one set and not another, without adapting anything: for each LR/HR pair, how consistent the
// unadapted SR output already is with the LR under the trained R — L1(R(S(x), E(x)), x) — next to the same figure
// for the true HR — L1(R(HR, E(x)), x), R's own error on this image. When the SR output is already more consistent
// than the HR, the LWay loss has nothing left that points towards the HR: minimising it fits R's errors instead.
// Adaptation starts from the tone-corrected output (tone is fitted inside its loss), so that output's figure is
// printed too: it is the one R's own error has to beat.
// With --residual-sigma s the residuals are low-passed first (Gaussian, s LR px), as adapt's residualSigma does:
// on noisy LR a residual's fine part is the noise realisation, which no R can predict from any HR.
//   npx tsx bench/r-consistency.ts [--model realesr-general-x4v3] [--stage1 dir] [--residual-sigma s]
//                                  [--oracle-embedding-steps n] <pairs dir>...
// (pairs dirs hold LR/ and HR/ with matching names, e.g. build/pairs/city100-nikon from `npm run bench:quality`).
// Two more columns are an oracle (bench/best-linear-operator.ts): the best linear operator fitted on each image's
// HR (a 7 x 7 LR kernel on the HR's area downscale, plus offsets). Where even it explains x worse than the
// tone-corrected output does, no R can make LR consistency point towards the HR on that image.
// With --oracle-embedding-steps n (e.g. 60) a last column gives R(HR, e*) with the embedding fitted on the HR
// (bench/oracle-embedding.ts): how much of R's error is E's estimate of the degradation rather than R itself.
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
import { bestLinearPrediction } from './best-linear-operator.js';
import { oracleEmbedding } from './oracle-embedding.js';
import { registerTrainingGradients } from '../src/core/backend/wasm-training.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    model: { type: 'string', default: 'realesr-general-x4v3' },
    stage1: { type: 'string' },
    'residual-sigma': { type: 'string', default: '0' },
    'oracle-embedding-steps': { type: 'string', default: '0' },
  },
});
await selectBackend('wasm');
const model = await loadPresetModel(values.model);
const nets = await loadStage1Folder(values.stage1 ?? stage1DirFor(model.scale));
const residualSigma = Number(values['residual-sigma']);
const embeddingSteps = Number(values['oracle-embedding-steps']);
if (embeddingSteps > 0) registerTrainingGradients();
const l1 = (a: tf.Tensor4D, b: tf.Tensor4D): number =>
  tf.tidy(() => gaussianBlur(a.sub(b), residualSigma).abs().mean().dataSync()[0] * 255);
const ORACLE_KERNEL = 7;
console.log(
  '| pairs | images | L1 R(S(x)) vs x (/255) | L1 R(tone(S(x))) vs x | L1 R(HR) vs x | S(x) more consistent than HR | tone(S(x)) more consistent than HR | L1 best linear operator(HR) vs x (oracle) | tone(S(x)) more consistent than the oracle |' +
    (embeddingSteps > 0 ? ' L1 R(HR, e*) vs x (oracle embedding) |' : ''),
);
console.log(
  '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |' + (embeddingSteps > 0 ? ' ---: |' : ''),
);
for (const dir of positionals) {
  const files = (await readdir(join(dir, 'LR'))).sort();
  let sr = 0;
  let toned = 0;
  let hr = 0;
  let below = 0;
  let tonedBelow = 0;
  let oracle = 0;
  let tonedBelowOracle = 0;
  let oracleE = 0;
  for (const f of files) {
    const lrPixels = await readImage(join(dir, 'LR', f));
    const x = pixelsToTensor(lrPixels);
    const y = pixelsToTensor(await readImage(join(dir, 'HR', f)));
    const op = createLrReconstruction(nets, x);
    const s = tf.tidy(() => model.predict(x));
    const t = pixelsToTensor(correctOutput(lrPixels, await tensorToPixels(s), 'tone'));
    const [a, c, b, o] = tf.tidy(() => {
      // Area downscale by the integer scale: a box average.
      const hrDown = tf.avgPool(y, model.scale, model.scale, 'valid');
      return [
        l1(op.reconstruct(s), x),
        l1(op.reconstruct(t), x),
        l1(op.reconstruct(y), x),
        l1(bestLinearPrediction(hrDown, x, ORACLE_KERNEL), x),
      ];
    });
    sr += a;
    toned += c;
    hr += b;
    if (a < b) below++;
    if (c < b) tonedBelow++;
    oracle += o;
    if (c < o) tonedBelowOracle++;
    if (embeddingSteps > 0) {
      const e = oracleEmbedding(nets, y, x, embeddingSteps);
      oracleE += tf.tidy(() => l1(nets.reconstructor.reconstruct(y, e), x));
      e.dispose();
    }
    op.dispose();
    tf.dispose([x, y, s, t]);
  }
  const n = files.length;
  const f2 = (v: number) => (v / n).toFixed(2);
  console.log(
    `| ${dir} | ${n} | ${f2(sr)} | ${f2(toned)} | ${f2(hr)} | ${below} of ${n} | ${tonedBelow} of ${n} | ${f2(oracle)} | ${tonedBelowOracle} of ${n} |` +
      (embeddingSteps > 0 ? ` ${f2(oracleE)} |` : ''),
  );
}
model.dispose();
nets.encoder.dispose();
nets.reconstructor.dispose();
