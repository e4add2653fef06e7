import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';

const BIN = 'bin/lway.mjs';
let dir: string;

function lway(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

async function writePng(path: string, width: number, height: number, channels: 3 | 4): Promise<void> {
  const data = Buffer.alloc(width * height * channels);
  for (let i = 0; i < data.length; i++) data[i] = (i * 37) % 256;
  if (channels === 4) for (let i = 3; i < data.length; i += 4) data[i] = 255;
  await sharp(data, { raw: { width, height, channels } }).png().toFile(path);
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'lway-cli-'));
  mkdirSync(join(dir, 'batch'));
  await writePng(join(dir, 'tiny.png'), 9, 7, 3);
  await writePng(join(dir, 'batch', 'a.png'), 6, 5, 4);
  await sharp({ create: { width: 5, height: 4, channels: 3, background: '#808080' } })
    .jpeg()
    .toFile(join(dir, 'batch', 'b.jpg'));
  writeFileSync(join(dir, 'batch', 'notes.txt'), 'ignored');
  writeFileSync(join(dir, 'broken.png'), 'not a png at all');
  writeFileSync(join(dir, 'anim.gif'), 'GIF89a');
});

after(() => rmSync(dir, { recursive: true, force: true }));

test('upscales one PNG to WebP at x2 and reports model and backend', async () => {
  const out = join(dir, 'out', 'tiny-x2.webp');
  const r = lway(
    'upscale',
    join(dir, 'tiny.png'),
    '-o',
    out,
    '--model',
    'esrgan-slim-x2',
    '--backend',
    'wasm',
    '--tile',
    '16',
  );
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /\(9x7\) -> .*tiny-x2\.webp \(18x14\) with esrgan-slim-x2 on wasm/);
  const meta = await sharp(out).metadata();
  assert.deepEqual([meta.format, meta.width, meta.height], ['webp', 18, 14]);
});

test('a folder is a batch: every image goes into the output folder, alpha kept', async () => {
  const outDir = join(dir, 'batch-out');
  const r = lway('upscale', join(dir, 'batch'), '-o', outDir, '--model', 'esrgan-slim-x3');
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(readdirSync(outDir).sort(), ['a.png', 'b.jpg']);
  const a = await sharp(join(outDir, 'a.png')).metadata();
  assert.deepEqual([a.width, a.height, a.channels], [18, 15, 4]);
  const b = await sharp(join(outDir, 'b.jpg')).metadata();
  assert.deepEqual([b.format, b.width, b.height], ['jpeg', 15, 12]);
});

const failures: [string, string[], number, RegExp][] = [
  [
    'unknown model',
    ['upscale', 'IN', '-o', 'OUT.png', '--model', 'esrgan-huge'],
    1,
    /\[UNKNOWN_MODEL\]: Unknown model id "esrgan-huge"/,
  ],
  [
    'unsupported input type',
    ['upscale', 'GIF', '-o', 'OUT.png', '--model', 'esrgan-slim-x2'],
    1,
    /\[UNSUPPORTED_FORMAT\]: .*anim\.gif: unsupported file type "\.gif"; allowed: \.png, \.jpg, \.jpeg, \.webp/,
  ],
  [
    'undecodable file',
    ['upscale', 'BROKEN', '-o', 'OUT.png', '--model', 'esrgan-slim-x2'],
    1,
    /\[UNSUPPORTED_FORMAT\]: .*broken\.png: cannot decode image/,
  ],
  [
    'missing input',
    ['upscale', 'NOPE', '-o', 'OUT.png', '--model', 'esrgan-slim-x2'],
    1,
    /\[BAD_INPUT\]: .*nope\.png: no such file or folder/,
  ],
  [
    'bad --tile',
    ['upscale', 'IN', '-o', 'OUT.png', '--tile', '3'],
    2,
    /--tile must be an integer >= 8; got 3/,
  ],
  [
    'bad backend',
    ['upscale', 'IN', '-o', 'OUT.png', '--backend', 'cuda'],
    2,
    /Allowed choices are auto, webgpu, webgl, wasm, cpu/,
  ],
];
for (const [name, args, code, message] of failures) {
  test(`fails cleanly on ${name}: exit ${code}, one readable message, no stack`, () => {
    const subst = (a: string): string =>
      ({
        IN: join(dir, 'tiny.png'),
        GIF: join(dir, 'anim.gif'),
        BROKEN: join(dir, 'broken.png'),
        NOPE: join(dir, 'nope.png'),
        'OUT.png': join(dir, 'never.png'),
      })[a] ?? a;
    const r = lway(...args.map(subst));
    assert.equal(r.code, code, r.stderr);
    assert.match(r.stderr, message);
    assert.doesNotMatch(r.stderr, /\n\s+at .*:\d+:\d+/, 'no stack trace');
  });
}
