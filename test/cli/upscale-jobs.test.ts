// `lway upscale --jobs n`: a batch on n worker threads gives the same files as one thread, and a file that fails
// fails alone.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';

let dir: string;

function lway(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['bin/lway.mjs', ...args], { encoding: 'utf8', timeout: 180_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'lway-jobs-'));
  mkdirSync(join(dir, 'in'));
  for (const [name, seed] of [
    ['a', 3],
    ['b', 7],
    ['c', 11],
  ] as const) {
    const data = Buffer.alloc(12 * 10 * 3);
    for (let i = 0; i < data.length; i++) data[i] = (i * seed * 13) % 256;
    await sharp(data, { raw: { width: 12, height: 10, channels: 3 } })
      .png()
      .toFile(join(dir, 'in', `${name}.png`));
  }
  writeFileSync(join(dir, 'in', 'broken.png'), 'not a png at all');
});

after(() => rmSync(dir, { recursive: true, force: true }));

const run = (out: string, jobs: string) =>
  lway(
    'upscale',
    join(dir, 'in'),
    '-o',
    join(dir, out),
    '--model',
    'esrgan-slim-x2',
    '--backend',
    'wasm',
    '--jobs',
    jobs,
  );

test('--jobs 2 writes the same files as --jobs 1; the broken file fails alone', () => {
  const one = run('out1', '1');
  const two = run('out2', '2');
  for (const r of [one, two]) {
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /3 of 4 images upscaled; 1 failed: .*broken\.png/);
    assert.match(r.stdout, /a\.png \(12x10\) -> .*a\.png \(24x20\) with esrgan-slim-x2 on wasm/);
  }
  const files = readdirSync(join(dir, 'out1')).sort();
  assert.deepEqual(files, ['a.png', 'b.png', 'c.png']);
  assert.deepEqual(readdirSync(join(dir, 'out2')).sort(), files);
  for (const f of files)
    assert.ok(readFileSync(join(dir, 'out1', f)).equals(readFileSync(join(dir, 'out2', f))), `${f} differs`);
});

test('--jobs takes a whole number from 1', () => {
  const r = run('out0', '0');
  assert.equal(r.code, 2);
  assert.match(r.stderr, /--jobs must be an integer >= 1; got 0/);
});
