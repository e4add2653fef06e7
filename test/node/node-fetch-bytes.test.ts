import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { AbortError, ModelLoadError } from '../../src/core/errors.js';
import { getModelDefinition } from '../../src/core/models/registry.js';
import { missingModelHint } from '../../src/node/model-files.js';
import { DEFAULT_MISSING_HINT, nodeFetchBytes, resolveModelsDir } from '../../src/node/node-fetch-bytes.js';

test('nodeFetchBytes reads files of a model folder and explains missing ones', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'lway-fetch-'));
  try {
    writeFileSync(join(dir, 'weights.json'), '[1,2]');
    const fetchBytes = nodeFetchBytes(dir);
    const bytes = await fetchBytes('weights.json');
    assert.ok(bytes instanceof ArrayBuffer);
    assert.equal(new TextDecoder().decode(bytes), '[1,2]');
    await assert.rejects(
      fetchBytes('weights.bin'),
      (e: unknown) =>
        e instanceof ModelLoadError && /weights\.bin is missing.*run npm run build/.test(e.message),
    );
    await assert.rejects(
      fetchBytes('../escape.json'),
      (e: unknown) => e instanceof ModelLoadError && /leaves the model folder/.test(e.message),
    );
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(fetchBytes('weights.json', controller.signal), AbortError);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('resolveModelsDir finds the repo models/ folder from src/node and from a nested folder', () => {
  const repoModels = resolve(import.meta.dirname, '../../models');
  assert.equal(resolveModelsDir(), repoModels);
  const root = mkdtempSync(join(tmpdir(), 'lway-root-'));
  try {
    mkdirSync(join(root, 'models'));
    mkdirSync(join(root, 'dist/node'), { recursive: true });
    writeFileSync(join(root, 'package.json'), '{}');
    assert.equal(resolveModelsDir(join(root, 'dist/node')), join(root, 'models'));
    assert.throws(() => resolveModelsDir(tmpdir()), ModelLoadError);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('nodeFetchBytes: the caller picks the hint; unreadable entries are ModelLoadError too', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'lway-fetch-'));
  try {
    mkdirSync(join(dir, 'sub'));
    const plain = nodeFetchBytes(dir, '');
    await assert.rejects(
      plain('gone.json'),
      (e: unknown) => e instanceof ModelLoadError && /gone\.json is missing\.$/.test(e.message),
    );
    await assert.rejects(
      plain('sub'),
      (e: unknown) => e instanceof ModelLoadError && /sub cannot be read \(.+\)\.$/.test(e.message),
    );
    const upscalerJs = getModelDefinition('esrgan-slim-x2');
    assert.match(missingModelHint(upscalerJs), /npm install/);
    assert.equal(missingModelHint(getModelDefinition('realesr-general-x4v3')), DEFAULT_MISSING_HINT);
    await assert.rejects(
      nodeFetchBytes(dir, missingModelHint(upscalerJs))('model.json'),
      (e: unknown) =>
        e instanceof ModelLoadError &&
        /model\.json is missing\. .*esrgan-slim-x2.*npm install/.test(e.message),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
