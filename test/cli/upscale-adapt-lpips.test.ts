// A fresh checkout has no ../shared beside it: `lway upscale --adapt` must still adapt with L1 + LPIPS, reading
// the LPIPS weights shipped in models/lpips. Run from a temporary folder so nothing relative to the working
// directory (such as ../shared/lpips) can be found.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import sharp from 'sharp';

test('lway upscale --adapt run away from the repo uses LPIPS (no LPIPS_UNAVAILABLE notice)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'lway-fresh-'));
  try {
    // 32 px of the bundled sample (a photo, so the noise guard lets adaptation run): the smallest input the CLI
    // adapts with LPIPS.
    await sharp('samples/sample.png')
      .extract({ left: 40, top: 40, width: 32, height: 32 })
      .png()
      .toFile(join(dir, 'in.png'));
    const env = { ...process.env };
    delete env.LWAY_LPIPS_DIR;
    const r = spawnSync(
      process.execPath,
      [
        resolve('bin/lway.mjs'),
        'upscale',
        'in.png',
        '-o',
        'out.png',
        '--model',
        'esrgan-slim-x2',
        '--backend',
        'wasm',
        '--adapt',
        '--adapt-steps',
        '1',
      ],
      { cwd: dir, env, encoding: 'utf8', timeout: 300_000 },
    );
    assert.equal(r.status, 0, r.stderr);
    assert.doesNotMatch(r.stderr, /LPIPS_UNAVAILABLE|LPIPS unavailable/);
    assert.doesNotMatch(r.stderr, /NOISY_INPUT/, 'adaptation ran');
    assert.match(r.stdout, /flat regions guarded/, 'the adapted output went through the flat-region guard');
    const meta = await sharp(join(dir, 'out.png')).metadata();
    assert.deepEqual([meta.width, meta.height], [64, 64]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
