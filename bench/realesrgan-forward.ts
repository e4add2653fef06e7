// npm run bench:realesrgan — forward time of the Real-ESRGAN presets on the wasm backend in Node.
// Loads the converted weights from models/ (made by `npm run build`), runs one warm-up forward, then times
// --runs forwards (default 3) on a seeded --size x --size RGB input (default 64), reading the result back each
// time (`await data()`), and prints the median wall time per preset, the conv GFLOPS it implies, and the median
// process CPU time (wasm runs on one thread, so on a shared machine CPU time is the steadier figure).
// Flags: --size N, --runs N, --only <preset id>.
import '@tensorflow/tfjs-backend-wasm';
import { tf } from '../src/core/tf.js';
import { REALESRGAN_PRESETS } from '../src/core/models/realesrgan-presets.js';
import { loadPresetModel } from '../src/node/load-preset-model.js';

function flag(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
}

const SIZE = Number(flag('size', '64'));
const RUNS = Number(flag('runs', '3'));
const ONLY = flag('only', '');

/** Multiply-adds x 2 of every 3x3 conv, given the LR input size (x4plus runs its last three convs at 2x/4x). */
function convFlops(
  id: string,
  kernels: readonly { name: string; shape: readonly number[] }[],
  h: number,
  w: number,
): number {
  return kernels.reduce((sum, k) => {
    const [kh, kw, cin, cout] = k.shape;
    const area =
      id === 'realesrgan-x4plus' && /conv_up1|conv_up2|conv_hr|conv_last/.test(k.name)
        ? k.name.startsWith('conv_up1')
          ? 4
          : 16
        : 1;
    return sum + 2 * h * w * area * kh * kw * cin * cout;
  }, 0);
}

await tf.setBackend('wasm');
await tf.ready();
console.log(`backend ${tf.getBackend()}, input ${SIZE}x${SIZE}, ${RUNS} timed runs after 1 warm-up`);
for (const def of REALESRGAN_PRESETS) {
  if (ONLY && def.id !== ONLY) continue;
  const model = await loadPresetModel(def.id);
  const x = tf.randomUniform([1, SIZE, SIZE, 3], 0, 1, 'float32', 1) as tf.Tensor4D;
  const times: number[] = [];
  const cpuTimes: number[] = [];
  for (let i = 0; i <= RUNS; i++) {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    const y = model.predict(x);
    await y.data();
    y.dispose();
    const cpu = process.cpuUsage(c0);
    if (i > 0) {
      times.push(performance.now() - t0);
      cpuTimes.push((cpu.user + cpu.system) / 1000);
    }
  }
  times.sort((a, b) => a - b);
  cpuTimes.sort((a, b) => a - b);
  const ms = times[times.length >> 1];
  const cpuMs = cpuTimes[cpuTimes.length >> 1];
  const kernels = model.params
    .filter((p) => p.name.endsWith('/kernel'))
    .map((p) => ({ name: p.name, shape: p.variable.shape }));
  const gflops = convFlops(def.id, kernels, SIZE, SIZE) / (ms / 1000) / 1e9;
  console.log(
    `${def.id}: median ${ms.toFixed(0)} ms wall per forward (${times.map((t) => t.toFixed(0)).join(', ')}), ` +
      `~${gflops.toFixed(1)} GFLOPS; median CPU time ${cpuMs.toFixed(0)} ms (less sensitive to a busy machine)`,
  );
  x.dispose();
  model.dispose();
}
