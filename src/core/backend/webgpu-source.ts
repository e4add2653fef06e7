import { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import { tf } from '../tf.js';
import {
  classifyWebGpuAdapter,
  type WebGpuAdapterInfoLike,
  type WebGpuAdapterKind,
} from './webgpu-adapter-kind.js';

/**
 * A WebGPU implementation outside the browser (Dawn through the npm `webgpu` package in Node): resolves to its GPU
 * entry point with `navigator.gpu` and the WebGPU globals (GPUBufferUsage, ...) installed, which TF.js's webgpu
 * backend reads, or to undefined when there is none (package missing, native module failed to load).
 */
export type WebGpuSource = () => Promise<GPU | undefined>;

let source: WebGpuSource | undefined;
let registered: WebGpuAdapterKind | undefined;

/**
 * Lets `selectBackend` start webgpu where the browser's own `navigator.gpu` is absent (Node): the source is only
 * called when webgpu is asked for, explicitly or by `auto`. There, `auto` takes webgpu only on a hardware adapter
 * (a CPU emulation such as SwiftShader is far slower than wasm), while an explicit `webgpu` accepts SwiftShader;
 * Mesa's lavapipe is always refused (see classifyWebGpuAdapter). Pass undefined to remove it.
 */
export function setWebGpuSource(next: WebGpuSource | undefined): void {
  source = next;
}

/** Whether a source is set (Node) — then `prepareWebGpuBackend` decides whether webgpu can start. */
export function hasWebGpuSource(): boolean {
  return source !== undefined;
}

/** The adapter the webgpu backend was registered with through a source; undefined in the browser or before. */
export function webGpuSourceAdapter(): WebGpuAdapterKind | undefined {
  return registered;
}

/**
 * Registers TF.js's webgpu backend on the source's adapter (once); resolves to undefined when webgpu may start,
 * else to the reason it may not. `auto`: refuse software adapters too.
 */
export async function prepareWebGpuBackend(auto: boolean): Promise<string | undefined> {
  if (!source) return 'not available in this environment';
  if (registered) return auto && registered.kind !== 'hardware' ? autoSkip(registered) : undefined;
  const gpu = await source();
  if (!gpu)
    return 'no WebGPU implementation (the optional npm package `webgpu` is missing or failed to load)';
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (!adapter) {
    return 'no WebGPU adapter (no usable Vulkan driver: install the GPU driver and libvulkan1, or point VK_ICD_FILENAMES at an ICD)';
  }
  const { info, isFallbackAdapter } = adapter as AdapterWithInfo;
  const kind = classifyWebGpuAdapter(info ?? {}, isFallbackAdapter === true);
  if (kind.kind === 'refused') return `refused: ${kind.reason}`;
  if (auto && kind.kind !== 'hardware') return autoSkip(kind);
  registerOn(gpu, adapter);
  registered = kind;
  return undefined;
}

/** GPUAdapter as current implementations have it (TF.js's @webgpu/types predates `info`). */
type AdapterWithInfo = GPUAdapter & {
  readonly info?: GPUAdapterInfo & WebGpuAdapterInfoLike;
  readonly isFallbackAdapter?: boolean;
};

function autoSkip(kind: WebGpuAdapterKind): string {
  return `${kind.reason ?? kind.name}, slower than wasm: auto skips it (--backend webgpu uses it)`;
}

/** TF.js's own webgpu factory (tfjs-backend-webgpu base.ts), on our adapter instead of navigator.gpu's. */
function registerOn(gpu: GPU, first: GPUAdapter): void {
  let adapter: GPUAdapter | undefined = first;
  tf.registerBackend(
    'webgpu',
    async () => {
      // An adapter yields one device; a backend re-created after removeBackend asks for a fresh adapter.
      const a = adapter ?? (await gpu.requestAdapter({ powerPreference: 'high-performance' }));
      adapter = undefined;
      if (!a) throw new Error('the WebGPU adapter is gone');
      const requiredFeatures: GPUFeatureName[] = [];
      if (a.features.has('timestamp-query')) requiredFeatures.push('timestamp-query');
      const l = a.limits;
      const device = await a.requestDevice({
        requiredFeatures,
        requiredLimits: {
          maxComputeWorkgroupStorageSize: l.maxComputeWorkgroupStorageSize,
          maxComputeWorkgroupsPerDimension: l.maxComputeWorkgroupsPerDimension,
          maxStorageBufferBindingSize: l.maxStorageBufferBindingSize,
          maxBufferSize: l.maxBufferSize,
          maxComputeWorkgroupSizeX: l.maxComputeWorkgroupSizeX,
          maxComputeInvocationsPerWorkgroup: l.maxComputeInvocationsPerWorkgroup,
        },
      });
      return new WebGPUBackend(device, (a as AdapterWithInfo).info);
    },
    3,
  );
}
