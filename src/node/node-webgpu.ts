import type { WebGpuSource } from '../core/index.js';

/** The part of the npm `webgpu` package (Dawn's node binding) we use. */
interface DawnModule {
  create(options: string[]): GPU;
  globals: Record<string, unknown>;
}

let loading: Promise<GPU | undefined> | undefined;

/**
 * WebGPU in Node through the optional npm package `webgpu` (Dawn, prebuilt for linux-x64 and others), loaded on
 * first use: it installs Dawn's WebGPU globals and `navigator.gpu`, which TF.js's webgpu backend reads. Resolves to
 * undefined when the package or its native module cannot load. Vulkan drivers are found the usual way
 * (VK_ICD_FILENAMES selects one, e.g. Chromium's SwiftShader ICD). Pass to setWebGpuSource.
 */
export const nodeWebGpuSource: WebGpuSource = () => (loading ??= load());

async function load(): Promise<GPU | undefined> {
  let dawn: DawnModule;
  try {
    // Not a literal: TypeScript does not pull in the package's own copy of @webgpu/types (TF.js brings one), and a
    // bundle leaves the native module outside (scripts/gpu-kit.sh ships it beside the bundle).
    const specifier: string = 'webgpu';
    dawn = (await import(specifier)) as DawnModule;
  } catch {
    return undefined;
  }
  const gpu = dawn.create([]);
  Object.assign(globalThis, dawn.globals);
  const g = globalThis as { navigator?: { gpu?: GPU } };
  if (g.navigator === undefined) {
    Object.defineProperty(globalThis, 'navigator', { value: { gpu }, configurable: true, writable: true });
  } else if (g.navigator.gpu === undefined) {
    Object.defineProperty(g.navigator, 'gpu', { value: gpu, configurable: true });
  }
  return gpu;
}
