// Runs the `upscaler` npm package (UpscalerJS) itself in Node with the pure @tensorflow/tfjs, as a reference for
// our UpscalerJS presets. Its /node entry needs tfjs-node (which cannot install here) and its browser ESM build
// uses extensionless imports Node cannot resolve, so we bundle the browser build with esbuild, keeping
// @tensorflow/tfjs external so it shares our TF.js engine and backend.
import { build } from 'esbuild';
import { mkdirSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { tf } from '../../src/core/tf.js';
import type { Pixels } from '../../src/core/pixels.js';
import { getModelDefinition } from '../../src/core/models/registry.js';
import { modelDirFor } from '../../src/node/model-files.js';

const OUT_DIR = resolve('build/upscaler-ref');

interface UpscalerInstance {
  execute(
    image: tf.Tensor3D,
    options: { output: 'tensor'; patchSize?: number; padding?: number },
  ): Promise<tf.Tensor3D>;
  dispose(): Promise<void>;
}
type UpscalerClass = new (options: { model: object }) => UpscalerInstance;

interface RefModule {
  Upscaler: UpscalerClass;
  definitions: Record<string, object>;
}

let modulePromise: Promise<RefModule> | undefined;

async function loadModule(): Promise<RefModule> {
  mkdirSync(OUT_DIR, { recursive: true });
  const lines = ["export { default as Upscaler } from 'upscaler';"];
  const names: string[] = [];
  for (const size of ['slim', 'medium', 'thick']) {
    for (const scale of [2, 3, 4]) {
      const name = `esrgan_${size}_x${scale}`;
      lines.push(`import ${name} from '@upscalerjs/esrgan-${size}/${scale}x';`);
      names.push(`'esrgan-${size}-x${scale}': ${name}`);
    }
  }
  lines.push(`export const definitions = { ${names.join(', ')} };`);
  const entry = join(OUT_DIR, 'entry.mjs');
  writeFileSync(entry, lines.join('\n'));
  const outfile = join(OUT_DIR, 'upscaler-ref.mjs');
  await build({
    entryPoints: [entry],
    bundle: true,
    format: 'esm',
    platform: 'node',
    outfile,
    external: ['@tensorflow/*'],
    nodePaths: [resolve('node_modules')],
    logLevel: 'error',
  });
  return (await import(pathToFileURL(outfile).href)) as RefModule;
}

/** An IOHandler reading a layers model from a folder (what the package would fetch from its CDN). */
function folderHandler(dir: string): tf.io.IOHandler {
  return {
    load: async () => {
      const json = JSON.parse(await readFile(join(dir, 'model.json'), 'utf8'));
      const buffers: ArrayBuffer[] = [];
      for (const group of json.weightsManifest) {
        for (const p of group.paths) {
          const b = await readFile(join(dir, p));
          buffers.push(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer);
        }
      }
      return {
        modelTopology: json.modelTopology,
        weightSpecs: json.weightsManifest.flatMap(
          (g: { weights: tf.io.WeightsManifestEntry[] }) => g.weights,
        ),
        weightData: tf.io.concatenateArrayBuffers(buffers),
      };
    },
  };
}

/** A loaded `upscaler` instance for one of our UpscalerJS preset ids, using the package's own model definition. */
export interface ReferenceUpscaler {
  /** Upscales RGB pixels the way `upscaler.execute(tensor, { output: 'tensor' })` does; returns rounded bytes. */
  upscale(pixels: Pixels, options?: { patchSize?: number; padding?: number }): Promise<Pixels>;
  dispose(): Promise<void>;
}

export async function createReferenceUpscaler(id: string): Promise<ReferenceUpscaler> {
  modulePromise ??= loadModule();
  const mod = await modulePromise;
  const definition = mod.definitions[id];
  if (!definition) throw new Error(`no upscaler definition for ${id}`);
  const dir = modelDirFor(getModelDefinition(id));
  const upscaler = new mod.Upscaler({ model: { ...definition, path: folderHandler(dir) } });
  return {
    async upscale(pixels, options = {}) {
      const rgb = new Float32Array(pixels.width * pixels.height * 3);
      for (let i = 0; i < pixels.width * pixels.height; i++) {
        for (let k = 0; k < 3; k++) rgb[i * 3 + k] = pixels.data[i * pixels.channels + k];
      }
      const input = tf.tensor3d(rgb, [pixels.height, pixels.width, 3]);
      const out = await upscaler.execute(input, { output: 'tensor', ...options });
      input.dispose();
      const values = await out.data();
      const [height, width] = out.shape;
      out.dispose();
      const data = new Uint8Array(values.length);
      for (let i = 0; i < values.length; i++) data[i] = Math.max(0, Math.min(255, Math.round(values[i])));
      return { data, width, height, channels: 3 };
    },
    dispose: () => upscaler.dispose(),
  };
}
