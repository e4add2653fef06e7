import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
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

/** A folder of its own under the test's temp folder, with the listed PNGs (and any extra files). */
async function freshFolder(name: string, pngs: string[]): Promise<string> {
  const d = join(dir, name);
  mkdirSync(d, { recursive: true });
  for (const p of pngs) await writePng(join(d, p), 6, 5, 3);
  return d;
}

const bytesOf = (path: string): string => readFileSync(path).toString('base64');

test('refuses to overwrite its input (file -o same file, folder -o same folder) before any work, unless --overwrite', async () => {
  const d = await freshFolder('self', ['a.png', 'b.png']);
  const a = join(d, 'a.png');
  const before = [bytesOf(a), bytesOf(join(d, 'b.png'))];
  for (const args of [
    [a, '-o', a],
    [a, '-o', join(d, '.', '..', 'self', 'a.png')],
    [d, '-o', d],
    [d, '-o', `${d}/`],
    [join(d, 'a.png'), join(d, 'b.png'), '-o', d],
  ]) {
    const r = lway('upscale', ...args, '--model', 'esrgan-slim-x2');
    assert.equal(r.code, 1, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, /would overwrite its input .*a\.png.*--overwrite/);
    assert.equal(r.stdout, '', 'nothing was upscaled');
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
  }
  assert.deepEqual([bytesOf(a), bytesOf(join(d, 'b.png'))], before, 'the sources are untouched');
  const r = lway('upscale', a, '-o', a, '--model', 'esrgan-slim-x2', '--overwrite');
  assert.equal(r.code, 0, r.stderr);
  const meta = await sharp(a).metadata();
  assert.deepEqual([meta.width, meta.height], [12, 10]);
});

test('one bad file does not stop a batch: every good file done, the bad one named, a summary, exit 1 at the end', async () => {
  const d = await freshFolder('mixed', ['a.png', 'c.png']);
  writeFileSync(join(d, 'b.png'), 'not a png');
  const out = join(dir, 'mixed-out');
  const r = lway('upscale', d, '-o', out, '--model', 'esrgan-slim-x2');
  assert.equal(r.code, 1, r.stderr);
  assert.deepEqual(readdirSync(out).sort(), ['a.png', 'c.png']);
  assert.match(r.stdout, /a\.png .* -> .*a\.png/);
  assert.match(r.stdout, /c\.png .* -> .*c\.png/);
  assert.match(r.stderr, /b\.png: cannot decode image/);
  assert.match(r.stderr, /2 of 3 images upscaled; 1 failed: .*b\.png/);
  assert.doesNotMatch(r.stderr, /\n\s+at .*:\d+:\d+/, 'no stack trace');
});

test('system errors become one readable line with the path and what to do (output under a file, unwritable output)', async () => {
  const d = await freshFolder('syserr', ['a.png', 'b.png']);
  writeFileSync(join(d, 'file.png'), 'a file, not a folder');
  for (const output of [join(d, 'file.png', 'out.png'), join(d, 'file.png', 'sub', 'out.png')]) {
    // wasm: probing WebGPU (auto) can make the native Vulkan loader print its own lines on some machines.
    const r = lway(
      'upscale',
      join(d, 'a.png'),
      '-o',
      output,
      '--model',
      'esrgan-slim-x2',
      '--backend',
      'wasm',
    );
    assert.equal(r.code, 1, r.stderr);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    assert.doesNotMatch(r.stderr, /EEXIST|ENOTDIR|mkdir/);
    assert.match(r.stderr, new RegExp(`cannot write .*out\\.png: .*file\\.png is a file, not a folder`));
  }
  // An output the system refuses to open (here a folder sits where the file should go): libvips says so in three
  // lines; the user gets one.
  const out = join(dir, 'syserr-out');
  mkdirSync(join(out, 'a.png'), { recursive: true });
  const r = lway(
    'upscale',
    join(d, 'a.png'),
    join(d, 'b.png'),
    '-o',
    out,
    '--model',
    'esrgan-slim-x2',
    '--backend',
    'wasm',
  );
  assert.equal(r.code, 1, r.stderr);
  assert.doesNotMatch(r.stderr, /system error|unable to open for write|vips/i);
  const lines = r.stderr.trim().split('\n');
  assert.match(lines[0], /cannot write .*a\.png: it is a folder; remove it or choose another output/);
  assert.match(lines[1], /1 of 2 images upscaled; 1 failed/);
  assert.equal(lines.length, 2, r.stderr);
  assert.deepEqual(readdirSync(out).sort(), ['a.png', 'b.png']);
});
