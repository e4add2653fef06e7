import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { tf } from '../../../src/core/tf.js';
import {
  degradationEmbeddings,
  pca2d,
  projectDegradationEmbeddings,
} from '../../../src/core/stage1/stage1-embedding-projection.js';
import { runEmbeddingProjection } from '../../../src/cli/eval-degradation-command.js';
import { writeImage } from '../../../src/cli/image-io.js';
import { syntheticPhoto, tinyStage1, writeTinyStage1Folder } from './stage1-fixtures.js';

const tiny = () => tinyStage1(3);
const photo = syntheticPhoto;

test('pca2d recovers a dominant direction and orders the two axes by variance', () => {
  // rows = a * u + b * v (+ tiny noise) with var(a) >> var(b): PC1 ~ u, PC2 ~ v
  const d = 16;
  const u = Array.from({ length: d }, (_, j) => (j === 3 ? 1 : 0));
  const v = Array.from({ length: d }, (_, j) => (j === 7 ? 1 : 0));
  const rows = Array.from({ length: 40 }, (_, i) => {
    const a = 10 * Math.sin(i * 1.3);
    const b = Math.cos(i * 2.1);
    return Float32Array.from({ length: d }, (_, j) => a * u[j] + b * v[j] + 1e-3 * Math.sin(i * 7 + j));
  });
  const { coords, explained } = pca2d(rows);
  assert.equal(coords.length, 40);
  assert.ok(explained[0] > 0.95, `PC1 explains ${explained[0]}`);
  assert.ok(explained[1] > 0.005 && explained[1] < explained[0], `PC2 explains ${explained[1]}`);
  assert.ok(explained[0] + explained[1] <= 1 + 1e-9);
  // PC1 coordinate is +/- the centred a (up to sign)
  const meanA = rows.reduce((s, r) => s + r[3], 0) / rows.length;
  const sign = Math.sign(coords[0][0] * (rows[0][3] - meanA));
  for (let i = 0; i < rows.length; i++)
    assert.ok(Math.abs(sign * coords[i][0] - (rows[i][3] - meanA)) < 1e-2);
  assert.throws(() => pca2d(rows.slice(0, 2)), /at least 3/);
});

test('nearest-neighbour statistics tell a degradation embedding from a content embedding', () => {
  const presets = ['realesrgan', 'bicubic', 'blur-sigma2'] as const;
  let seed = 1;
  const noise = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648 - 0.5;
  };
  const make = (byPreset: boolean) =>
    presets.flatMap((preset, p) =>
      [0, 1, 2, 3].map((i) => ({
        image: `im${i}`,
        preset,
        seed: p * 10 + i,
        embedding: Float32Array.from(
          { length: 12 },
          (_, j) => 3 * Number(j === (byPreset ? p : 4 + i)) + noise(),
        ),
      })),
    );
  const degradation = projectDegradationEmbeddings(make(true));
  assert.equal(degradation.nearestSamePreset, 1);
  const content = projectDegradationEmbeddings(make(false));
  assert.equal(content.nearestSameImage, 1);
  assert.ok(content.nearestSamePreset < 0.6, `content embedding: same preset ${content.nearestSamePreset}`);
});

test('degradation embeddings of a random-init E project to 2-D points labelled by preset; no tensor leaks', async () => {
  await tf.setBackend('cpu');
  const nets = tiny();
  const before = tf.memory().numTensors;
  try {
    const images = [0, 1, 2].map((s) => ({ name: `im${s}`, pixels: photo(64, 64, s) }));
    const emb = await degradationEmbeddings(nets, images, {
      presets: ['bicubic', 'blur-sigma2'],
      seedsPerPreset: 2,
    });
    assert.equal(emb.length, 3 * 2 * 2);
    assert.equal(new Set(emb.map((e) => e.seed)).size, emb.length, 'every embedding has its own seed');
    for (const e of emb) assert.equal(e.embedding.length, 8);
    const p = projectDegradationEmbeddings(emb);
    assert.equal(p.points.length, 12);
    for (const q of p.points) assert.ok(Number.isFinite(q.x) && Number.isFinite(q.y));
    assert.deepEqual(
      p.points.map((q) => q.preset),
      emb.map((e) => e.preset),
    );
    assert.ok(p.nearestSamePreset >= 0 && p.nearestSamePreset <= 1);
    assert.ok(p.nearestSameImage >= 0 && p.nearestSameImage <= 1);
    assert.equal(tf.memory().numTensors, before);
  } finally {
    nets.encoder.dispose();
    nets.reconstructor.dispose();
  }
});

test('runEmbeddingProjection writes a PNG scatter from a model folder', async () => {
  await tf.setBackend('cpu');
  const dir = await mkdtemp(join(tmpdir(), 'lway-proj-'));
  try {
    await writeTinyStage1Folder(dir, 3);
    await mkdir(join(dir, 'data'));
    for (const s of [0, 1, 2]) await writeImage(join(dir, 'data', `p${s}.png`), photo(66, 64, s));
    const before = tf.memory().numTensors;
    const png = join(dir, 'proj.png');
    const r = await runEmbeddingProjection({
      model: dir,
      data: join(dir, 'data'),
      png,
      presets: ['bicubic', 'blur-noise-jpeg'],
      seedsPerPreset: 1,
      backend: 'cpu',
      quiet: true,
    });
    assert.equal(r.points.length, 6);
    const meta = await sharp(png).metadata();
    assert.equal(meta.format, 'png');
    assert.equal(meta.width, 800);
    assert.equal(tf.memory().numTensors, before);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
