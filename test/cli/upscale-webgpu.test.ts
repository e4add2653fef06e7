// `lway upscale --backend webgpu` in Node: Dawn (npm `webgpu`) on SwiftShader, the Vulkan ICD Debian's chromium
// ships. The output must match wasm's; `auto` must not take the software adapter. Skips where the ICD or the
// optional package is missing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';

const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';
const BIN = 'bin/lway.mjs';

function webgpuPackage(): boolean {
  try {
    createRequire(import.meta.url).resolve('webgpu/package.json');
    return true;
  } catch {
    return false;
  }
}

const skip = !existsSync(SWIFTSHADER_ICD)
  ? `${SWIFTSHADER_ICD} missing (apt-get install chromium)`
  : !webgpuPackage()
    ? 'the optional npm package webgpu is not installed'
    : false;

let dir: string;

function lway(icd: string, ...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    encoding: 'utf8',
    timeout: 300_000,
    env: { ...process.env, VK_ICD_FILENAMES: icd },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'lway-webgpu-'));
  const width = 20;
  const height = 18;
  const data = Buffer.alloc(width * height * 3);
  for (let i = 0; i < data.length; i++) data[i] = (i * 37 + (i >> 5) * 11) % 256;
  await sharp(data, { raw: { width, height, channels: 3 } })
    .png()
    .toFile(join(dir, 'in.png'));
});

after(() => rmSync(dir, { recursive: true, force: true }));

test('lway upscale --backend webgpu runs on SwiftShader and matches wasm', { skip }, async () => {
  const upscale = (backend: string) =>
    lway(
      SWIFTSHADER_ICD,
      'upscale',
      join(dir, 'in.png'),
      '-o',
      join(dir, `${backend}.png`),
      '--model',
      'esrgan-slim-x2',
      '--backend',
      backend,
    );
  const gpu = upscale('webgpu');
  assert.equal(gpu.code, 0, gpu.stderr);
  assert.match(gpu.stdout, /\(40x36\) with esrgan-slim-x2 on webgpu/);
  const cpu = upscale('wasm');
  assert.equal(cpu.code, 0, cpu.stderr);
  const a = await sharp(join(dir, 'webgpu.png')).raw().toBuffer();
  const b = await sharp(join(dir, 'wasm.png')).raw().toBuffer();
  assert.equal(a.length, 40 * 36 * 3);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  assert.ok(worst <= 1, `max difference ${worst} levels`);
});

test('--jobs on webgpu runs one image at a time and says so', { skip }, () => {
  copyFileSync(join(dir, 'in.png'), join(dir, 'in2.png'));
  const r = lway(
    SWIFTSHADER_ICD,
    'upscale',
    join(dir, 'in.png'),
    join(dir, 'in2.png'),
    '-o',
    join(dir, 'jobs'),
    '--model',
    'esrgan-slim-x2',
    '--backend',
    'webgpu',
    '--jobs',
    '2',
  );
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /--jobs 2 does not apply on webgpu: one image at a time on the GPU/);
  assert.equal((r.stdout.match(/on webgpu/g) ?? []).length, 2);
});

test('auto does not take SwiftShader (a software adapter): it picks wasm', { skip }, () => {
  const r = lway(
    SWIFTSHADER_ICD,
    'upscale',
    join(dir, 'in.png'),
    '-o',
    join(dir, 'auto.png'),
    '--model',
    'esrgan-slim-x2',
  );
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /on wasm/);
});

test('--backend webgpu without a usable adapter fails with the reason', { skip }, () => {
  const r = lway(
    '/nonexistent/icd.json',
    'upscale',
    join(dir, 'in.png'),
    '-o',
    join(dir, 'none.png'),
    '--backend',
    'webgpu',
  );
  assert.equal(r.code, 1);
  assert.match(r.stderr, /webgpu: no WebGPU adapter/);
});
