import { tf, type Tensor4D } from '../tf.js';
import { LwayError, OutOfMemoryError, isOutOfMemory, throwIfAborted } from '../errors.js';
import { assertPixels, type Pixels } from '../pixels.js';
import type { SrModel } from '../models/index.js';
import { planTiles, type Tile, featherWeights } from '../tiling/index.js';
import { readRgbTile, toByte, bleedTransparentRgb, resizeAlphaBicubic } from '../image/index.js';
import { resolveUpscaleOptions, type UpscaleOptions } from './upscale-options.js';
import { yieldToEventLoop } from '../yield-to-event-loop.js';

/** Tiles smaller than this are padded up to it: tiny inputs give a model too little to work with. */
export const MIN_MODEL_INPUT = 16;

/**
 * Upscales `pixels` by `model.scale` with overlapping tiles blended by a feathered (raised-cosine) window.
 * Returns an image with the input's channels: alpha is resized separately (bicubic) and re-attached.
 *
 * Memory: each tile's output is read back and accumulated into a preallocated float strip one tile-row high,
 * flushed to the byte output as rows complete, so no full-size tensor ever exists. Checks `signal` between tiles
 * (rejects with AbortError); backend out-of-memory becomes OutOfMemoryError. No tensor outlives the call.
 */
export async function upscale(model: SrModel, pixels: Pixels, options: UpscaleOptions = {}): Promise<Pixels> {
  assertPixels(pixels);
  assertModel(model);
  const opts = resolveUpscaleOptions(options, {
    backend: tf.getBackend(),
    scale: model.scale,
    contextPad: model.contextPad,
  });
  throwIfAborted(opts.signal);

  const { width, height, channels } = pixels;
  const s = model.scale;
  const source = bleedTransparentRgb(pixels);
  const plan = planTiles({ width, height, tileSize: opts.tileSize, overlap: opts.overlap });
  const outW = width * s;
  const outH = height * s;
  const out = new Uint8Array(outW * outH * channels);

  // The window is separable and the grid is a product, so the normaliser is sumX[x] * sumY[y].
  const ramp = opts.overlap * s;
  const colWeights = plan.xs.map((_, c) =>
    featherWeights(plan.tileWidth * s, ramp, c > 0, c < plan.cols - 1),
  );
  const rowWeights = plan.ys.map((_, r) =>
    featherWeights(plan.tileHeight * s, ramp, r > 0, r < plan.rows - 1),
  );
  const sumX = axisSums(outW, plan.xs, colWeights, s);
  const sumY = axisSums(outH, plan.ys, rowWeights, s);

  const stripH = plan.tileHeight * s;
  const rowStride = outW * 3;
  const strip = new Float32Array(rowStride * stripH);
  let stripTop = 0;
  const flush = (from: number, to: number): void => {
    for (let y = from; y < to; y++) {
      const src = (y - stripTop) * rowStride;
      const dst = y * outW * channels;
      const wy = sumY[y];
      for (let x = 0; x < outW; x++) {
        const inv = 1 / (sumX[x] * wy);
        const p = src + x * 3;
        const q = dst + x * channels;
        out[q] = toByte(strip[p] * inv);
        out[q + 1] = toByte(strip[p + 1] * inv);
        out[q + 2] = toByte(strip[p + 2] * inv);
      }
    }
  };

  const total = plan.tiles.length;
  let done = 0;
  for (let r = 0; r < plan.rows; r++) {
    const rowTop = plan.ys[r] * s;
    if (rowTop > stripTop) {
      // Rows above this tile-row are complete: write them out and slide the strip down.
      flush(stripTop, rowTop);
      const shift = (rowTop - stripTop) * rowStride;
      strip.copyWithin(0, shift);
      strip.fill(0, strip.length - shift);
      stripTop = rowTop;
    }
    for (let c = 0; c < plan.cols; c++) {
      await yieldToEventLoop();
      throwIfAborted(opts.signal);
      const tile = plan.tiles[r * plan.cols + c];
      const result = await runTile(model, source, tile, opts.tileSize, opts.contextPad);
      throwIfAborted(opts.signal);
      accumulate(strip, rowStride, result, tile, s, colWeights[c], rowWeights[r]);
      done++;
      opts.onProgress?.({ stage: 'upscale', done, total });
    }
  }
  flush(stripTop, outH);

  if (channels === 4) attachAlpha(pixels, out, s);
  return { data: out, width: outW, height: outH, channels };
}

/**
 * A tile's output as read back: the padded tile's output, `stride` floats per row; the tile itself starts at float
 * `offset` (its context margin is skipped).
 */
interface TileOutput {
  readonly values: Float32Array;
  readonly stride: number;
  readonly offset: number;
}

/**
 * Runs the model on one tile read with `contextPad` pixels of context on every side (real neighbours inside the
 * image, reflected past its border) and padded to the model's multiple and minimum size; returns the output.
 */
async function runTile(
  model: SrModel,
  source: Pixels,
  tile: Tile,
  tileSize: number,
  contextPad: number,
): Promise<TileOutput> {
  const m = model.tileMultiple;
  const padW = roundUp(Math.max(tile.width + 2 * contextPad, MIN_MODEL_INPUT), m);
  const padH = roundUp(Math.max(tile.height + 2 * contextPad, MIN_MODEL_INPUT), m);
  let input: Tensor4D | undefined;
  let output: Tensor4D | undefined;
  try {
    const rgb = readRgbTile(source, tile.x - contextPad, tile.y - contextPad, padW, padH, 'reflect');
    input = tf.tensor4d(rgb, [1, padH, padW, 3]);
    const x = input;
    output = tf.tidy(() => model.predict(x));
    input.dispose();
    input = undefined;
    const [n, h, w, ch] = output.shape;
    if (n !== 1 || h !== padH * model.scale || w !== padW * model.scale || ch !== 3) {
      throw new LwayError(
        'INTERNAL',
        `model ${model.id} returned shape [${output.shape.join(', ')}] for a ${padW}x${padH} tile; ` +
          `expected [1, ${padH * model.scale}, ${padW * model.scale}, 3]`,
      );
    }
    const values = (await output.data()) as Float32Array;
    const s = model.scale;
    return { values, stride: w * 3, offset: contextPad * s * (w * 3) + contextPad * s * 3 };
  } catch (err) {
    if (err instanceof LwayError) throw err;
    if (isOutOfMemory(err)) {
      throw new OutOfMemoryError(
        `Out of memory on the ${tf.getBackend()} backend while upscaling a ${padW}x${padH} tile with ` +
          `${model.id}; lower the tile size (tileSize / --tile, e.g. ${Math.max(8, Math.floor(tileSize / 2))}) ` +
          `or memoryBudgetBytes`,
        { cause: err },
      );
    }
    throw err;
  } finally {
    input?.dispose();
    output?.dispose();
  }
}

/** Adds the tile's weighted output into the strip (whose row 0 is the tile's top row). */
function accumulate(
  strip: Float32Array,
  rowStride: number,
  { values, stride, offset }: TileOutput,
  tile: Tile,
  s: number,
  wx: Float32Array,
  wy: Float32Array,
): void {
  const tw = tile.width * s;
  const th = tile.height * s;
  const x0 = tile.x * s * 3;
  for (let j = 0; j < th; j++) {
    const src = offset + j * stride;
    const dst = j * rowStride + x0;
    const w = wy[j];
    for (let i = 0; i < tw; i++) {
      const k = w * wx[i];
      const p = src + i * 3;
      const q = dst + i * 3;
      strip[q] += values[p] * k;
      strip[q + 1] += values[p + 1] * k;
      strip[q + 2] += values[p + 2] * k;
    }
  }
}

function axisSums(
  length: number,
  starts: readonly number[],
  weights: readonly Float32Array[],
  s: number,
): Float32Array {
  const sum = new Float32Array(length);
  starts.forEach((start, i) => {
    const w = weights[i];
    for (let k = 0; k < w.length; k++) sum[start * s + k] += w[k];
  });
  return sum;
}

function attachAlpha(pixels: Pixels, out: Uint8Array, s: number): void {
  const { data, width, height } = pixels;
  const plane = new Uint8Array(width * height);
  for (let i = 0; i < plane.length; i++) plane[i] = data[i * 4 + 3];
  const alpha = resizeAlphaBicubic(plane, width, height, s);
  for (let i = 0; i < alpha.length; i++) out[i * 4 + 3] = alpha[i];
}

function assertModel(model: SrModel): void {
  if (!model || typeof model.predict !== 'function' || !Number.isInteger(model.scale) || model.scale < 1) {
    throw new LwayError(
      'BAD_INPUT',
      `model must be a loaded SrModel with an integer scale >= 1; got ${model?.scale}`,
    );
  }
  if (!Number.isInteger(model.tileMultiple) || model.tileMultiple < 1) {
    throw new LwayError('BAD_INPUT', `model.tileMultiple must be an integer >= 1; got ${model.tileMultiple}`);
  }
}

function roundUp(v: number, m: number): number {
  return Math.ceil(v / m) * m;
}
