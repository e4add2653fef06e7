// WebGPU outside the browser: which adapters we take (classifyWebGpuAdapter) and what selectBackend does with a
// WebGPU source whose adapter is refused, software or missing (fake sources: no GPU or Dawn needed). The real
// path, Dawn on SwiftShader through `lway upscale --backend webgpu`, is test/cli/upscale-webgpu.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { selectBackend } from '../../src/core/backend/select-backend.js';
import { classifyWebGpuAdapter } from '../../src/core/backend/webgpu-adapter-kind.js';
import { setWebGpuSource, webGpuSourceAdapter } from '../../src/core/backend/webgpu-source.js';
import { LwayError } from '../../src/core/errors.js';

const CASES: [string, Parameters<typeof classifyWebGpuAdapter>, 'hardware' | 'software' | 'refused'][] = [
  [
    'SwiftShader as Dawn reports it',
    [{ vendor: 'google', architecture: 'swiftshader', description: 'SwiftShader driver 5.0.0' }, true],
    'software',
  ],
  ['SwiftShader without the fallback flag', [{ vendor: 'google', architecture: 'swiftshader' }], 'software'],
  ['lavapipe', [{ vendor: 'mesa', device: 'llvmpipe (LLVM 15.0.6, 256 bits)' }], 'refused'],
  ['lavapipe even when flagged fallback', [{ description: 'lavapipe' }, true], 'refused'],
  ['an NVIDIA GPU', [{ vendor: 'nvidia', architecture: 'hopper', description: 'NVIDIA H200' }], 'hardware'],
  ['a fallback adapter of unknown name', [{}, true], 'software'],
  ['Microsoft Basic Render Driver (WARP)', [{ description: 'Microsoft Basic Render Driver' }], 'software'],
];

for (const [name, args, kind] of CASES) {
  test(`classifyWebGpuAdapter: ${name} -> ${kind}`, () => {
    const got = classifyWebGpuAdapter(...args);
    assert.equal(got.kind, kind);
    assert.ok(got.name.length > 0);
    if (kind !== 'hardware') assert.ok(got.reason);
  });
}

/** A GPU whose only adapter has `info`; requestDevice is never reached in these tests. */
function fakeGpu(info: Record<string, string> | null, isFallbackAdapter = false): GPU {
  const adapter = info && { info, isFallbackAdapter, features: new Set(), limits: {} };
  return { requestAdapter: async () => adapter } as unknown as GPU;
}

async function rejection(preferred: 'webgpu' | 'auto'): Promise<LwayError> {
  try {
    await selectBackend(preferred);
  } catch (err) {
    assert.ok(err instanceof LwayError);
    return err;
  }
  throw new Error('selectBackend resolved');
}

test('a source whose adapter is lavapipe: webgpu is refused, naming it', async () => {
  setWebGpuSource(async () => fakeGpu({ vendor: 'mesa', device: 'llvmpipe (LLVM 15)' }));
  try {
    const err = await rejection('webgpu');
    assert.equal(err.code, 'BACKEND_UNAVAILABLE');
    assert.match(err.message, /webgpu: refused: .*lavapipe/);
    assert.equal(webGpuSourceAdapter(), undefined);
  } finally {
    setWebGpuSource(undefined);
  }
});

test('auto skips a software adapter and falls back to wasm', async () => {
  setWebGpuSource(async () => fakeGpu({ vendor: 'google', architecture: 'swiftshader' }, true));
  try {
    assert.equal(await selectBackend('auto'), 'wasm');
  } finally {
    setWebGpuSource(undefined);
  }
});

test('a source without an implementation or without an adapter gives a reason', async () => {
  try {
    setWebGpuSource(async () => undefined);
    assert.match((await rejection('webgpu')).message, /optional npm package `webgpu`/);
    setWebGpuSource(async () => fakeGpu(null));
    assert.match((await rejection('webgpu')).message, /no WebGPU adapter/);
  } finally {
    setWebGpuSource(undefined);
  }
});
