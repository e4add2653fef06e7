// npm run bench:train — one LWay-style fine-tuning step of realesr-general-x4v3 (SRVGGNetCompact: 64 features,
// 32 body convs, x4) on a 64x64 LR patch on the wasm backend: forward + backward + Adam on the output-side ~65%
// of the parameters (as LWay's selectAdaptParams picks them), L1 loss. Prints seconds per step (median) and
// achieved GFLOPS, the forward-only GFLOPS measured in the same run, and their ratio (target >= 40%).
//
// FLOPs are counted analytically over the convolutions only (bias, PReLU, resize, loss and Adam are <1%):
//   conv l: F_l = 2 * H * W * 3 * 3 * Cin_l * Cout_l (multiply-adds x 2) at the LR size H x W.
//   forward = sum_l F_l.
//   step    = forward + sum over trainable convs of F_l (dW) + sum over convs after the first trainable one of F_l
//             (dX; the first trainable conv's input needs no gradient), i.e. ~forward x (1 + 2 * 0.65) here.
// The real SrvggNetCompact with the converted weights (models/realesr-general-x4v3, from `npm run build`); if
// they are absent, the same class with seeded random weights (same FLOPs, same speed).
// Flags: --size N (LR side, default 64), --steps N (timed steps, default 7), --profile (per-kernel times),
// --layers (per-layer fwd / dX / dW kernel times for the conv shapes of SRVGG, the LR networks and LPIPS).
import { tf } from '../src/core/tf.js';
import { selectBackend } from '../src/core/backend/select-backend.js';
import { REALESR_GENERAL_X4V3_CONFIG } from '../src/core/models/srvgg-net-compact.js';
import type { SrModel } from '../src/core/models/sr-model.js';
import { selectAdaptParams } from '../src/core/adapt/adapt-param-subset.js';
import { loadPresetModel } from '../src/node/load-preset-model.js';
import { buildSeededSrvgg } from '../test/core/kernels/srvgg-test-net.js';
import { median } from './median.js';

function flag(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

const SIZE = flag('size', 64);
const STEPS = flag('steps', 7);
const PROFILE = process.argv.includes('--profile');
const LAYERS = process.argv.includes('--layers');
const SHARE = 0.65;

async function main(): Promise<void> {
  const backend = await selectBackend('wasm');
  let net: SrModel;
  let weights = 'converted realesr-general-x4v3 weights';
  try {
    net = await loadPresetModel('realesr-general-x4v3');
  } catch (err) {
    weights = `seeded random weights (${err instanceof Error ? err.message.split('\n')[0] : String(err)})`;
    net = buildSeededSrvgg(REALESR_GENERAL_X4V3_CONFIG, 1);
  }
  const { numInCh, numOutCh, numFeat: f, numConv, upscale: r } = REALESR_GENERAL_X4V3_CONFIG;
  // Conv layers in forward order; param names are head.*, body.<i>.*, tail.*.
  const convs = [[numInCh, f], ...Array.from({ length: numConv }, () => [f, f]), [f, numOutCh * r * r]];
  const convFlops = convs.map(([cin, cout]) => 2 * SIZE * SIZE * 9 * cin * cout);
  const layerOf = (name: string): number =>
    name.startsWith('head.')
      ? 0
      : name.startsWith('tail.')
        ? convs.length - 1
        : 1 + Number(name.split('.')[1]);

  const selected = selectAdaptParams(net.params, { fraction: SHARE });
  const trainable = selected.map((p) => p.variable);
  const total = net.params.reduce((a, p) => a + p.variable.size, 0);
  const count = trainable.reduce((a, v) => a + v.size, 0);
  const trainableLayers = new Set(selected.map((p) => layerOf(p.name)));
  const firstTrainable = Math.min(...trainableLayers);
  const fwdFlops = convFlops.reduce((a, b) => a + b, 0);
  let stepFlops = fwdFlops;
  convFlops.forEach((fl, l) => {
    if (trainableLayers.has(l)) stepFlops += fl; // dW
    if (l > firstTrainable) stepFlops += fl; // dX
  });

  const x = tf.tidy(() => tf.randomUniform([1, SIZE, SIZE, 3], 0, 1, 'float32', 1) as tf.Tensor4D);
  const target = tf.tidy(() => tf.randomUniform([1, SIZE * r, SIZE * r, 3], 0, 1, 'float32', 2));
  const optimizer = tf.train.adam(1e-4);
  const step = async (): Promise<number> => {
    const t0 = performance.now();
    const loss = optimizer.minimize(() => tf.mean(tf.abs(tf.sub(net.predict(x), target))), true, trainable);
    await loss!.data();
    loss!.dispose();
    return (performance.now() - t0) / 1000;
  };
  const forward = async (): Promise<number> => {
    const t0 = performance.now();
    const y = net.predict(x);
    await y.data();
    y.dispose();
    return (performance.now() - t0) / 1000;
  };

  await forward(); // warm-up: XNNPACK operator creation, first allocations
  await step();
  const fwdTimes: number[] = [];
  const stepTimes: number[] = [];
  // Interleave so both see the same machine load (the cores are shared).
  for (let i = 0; i < STEPS; i++) {
    fwdTimes.push(await forward());
    stepTimes.push(await step());
  }
  const fwdS = median(fwdTimes);
  const stepS = median(stepTimes);
  const fwdG = fwdFlops / fwdS / 1e9;
  const stepG = stepFlops / stepS / 1e9;

  console.log(
    `\nrealesr-general-x4v3 (SRVGGNetCompact), LR ${SIZE}x${SIZE}, backend ${backend}, ` +
      `${weights}, ${trainable.length}/${net.params.length} variables trained (${((100 * count) / total).toFixed(1)}% of ${total} params), ` +
      `median of ${STEPS} (after 1 warm-up)\n`,
  );
  console.log('| measure | seconds | GFLOP | GFLOPS |');
  console.log('| --- | ---: | ---: | ---: |');
  console.log(`| forward only | ${fwdS.toFixed(3)} | ${(fwdFlops / 1e9).toFixed(2)} | ${fwdG.toFixed(1)} |`);
  console.log(
    `| training step (fwd + bwd + Adam) | ${stepS.toFixed(3)} | ${(stepFlops / 1e9).toFixed(2)} | ${stepG.toFixed(1)} |`,
  );
  console.log(
    `\nstep GFLOPS / forward GFLOPS = ${((100 * stepG) / fwdG).toFixed(0)}% (target >= 40%); ` +
      `step FLOPs = ${(stepFlops / fwdFlops).toFixed(2)} x forward`,
  );
  console.log(
    `all times (s): forward ${fwdTimes.map((t) => t.toFixed(3)).join(' ')}; step ${stepTimes.map((t) => t.toFixed(3)).join(' ')}`,
  );

  if (PROFILE) {
    const info = await tf.profile(async () => {
      const loss = optimizer.minimize(() => tf.mean(tf.abs(tf.sub(net.predict(x), target))), true, trainable);
      await loss!.data();
      loss!.dispose();
    });
    const byKernel = new Map<string, number>();
    for (const k of info.kernels) {
      const ms = typeof k.kernelTimeMs === 'number' ? k.kernelTimeMs : 0;
      byKernel.set(k.name, (byKernel.get(k.name) ?? 0) + ms);
    }
    console.log('\n| kernel | ms in one step |');
    console.log('| --- | ---: |');
    for (const [name, ms] of [...byKernel].sort((a, b) => b[1] - a[1]).slice(0, 15)) {
      console.log(`| ${name} | ${ms.toFixed(1)} |`);
    }
  }
  optimizer.dispose();
  net.dispose();
  tf.dispose([x, target]);
}

/** Median ms of `f` (result read back) over `n` runs after one warm-up. */
function timeMs(f: () => tf.Tensor, n = 7): number {
  const ts: number[] = [];
  for (let i = 0; i <= n; i++) {
    const t0 = performance.now();
    const r = f();
    r.dataSync();
    r.dispose();
    if (i > 0) ts.push(performance.now() - t0);
  }
  return median(ts);
}

/** Forward, dX (Conv2DBackpropInput) and dW (Conv2DBackpropFilter) kernel times per conv shape, on wasm. */
function layerTable(): void {
  // [input side, kernel, stride, cin, cout, pad, where]
  const shapes: [number, number, number, number, number, 'same' | number, string][] = [
    [64, 3, 1, 64, 64, 'same', 'SRVGG body (64x64 LR)'],
    [64, 3, 1, 3, 64, 'same', 'SRVGG head'],
    [64, 3, 1, 64, 48, 'same', 'SRVGG tail'],
    [128, 3, 2, 32, 64, 'same', 'LR net strided conv'],
    [64, 1, 1, 64, 64, 'same', 'LR net 1x1 conv'],
    [256, 11, 4, 3, 64, 2, 'LPIPS AlexNet conv1 (256x256)'],
    [31, 5, 1, 64, 192, 2, 'LPIPS AlexNet conv2'],
    [15, 3, 1, 192, 384, 1, 'LPIPS AlexNet conv3'],
  ];
  console.log('\n| layer | in | k/s | cin->cout | fwd ms | dX ms | dW ms | fwd / dX / dW GFLOPS |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const [side, k, s, cin, cout, pad, name] of shapes) {
    const x = tf.tidy(() => tf.randomUniform([1, side, side, cin], -1, 1, 'float32', 3) as tf.Tensor4D);
    const w = tf.tidy(() => tf.randomUniform([k, k, cin, cout], -1, 1, 'float32', 4) as tf.Tensor4D);
    const y = tf.conv2d(x, w, s, pad);
    const dy = tf.tidy(() => tf.randomUniform(y.shape, -1, 1, 'float32', 5) as tf.Tensor4D);
    const flops = 2 * y.shape[1] * y.shape[2] * k * k * cin * cout;
    const attrs = { strides: [s, s], pad, dataFormat: 'NHWC' };
    const fwd = timeMs(() => tf.conv2d(x, w, s, pad));
    const dx = timeMs(
      () =>
        tf
          .engine()
          .runKernel(
            'Conv2DBackpropInput',
            { dy, filter: w },
            { ...attrs, inputShape: x.shape },
          ) as tf.Tensor,
    );
    const dw = timeMs(
      () =>
        tf
          .engine()
          .runKernel('Conv2DBackpropFilter', { x, dy }, { ...attrs, filterShape: w.shape }) as tf.Tensor,
    );
    const g = (ms: number): string => (flops / ms / 1e6).toFixed(1);
    console.log(
      `| ${name} | ${side} | ${k}/${s} | ${cin}->${cout} | ${fwd.toFixed(1)} | ${dx.toFixed(1)} | ${dw.toFixed(1)} | ` +
        `${g(fwd)} / ${g(dx)} / ${g(dw)} |`,
    );
    tf.dispose([x, w, y, dy]);
  }
}

await main();
if (LAYERS) layerTable();
