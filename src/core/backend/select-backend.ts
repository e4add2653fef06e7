import { tf } from '../tf.js';
import { LwayError } from '../errors.js';
import { registerTrainingGradients, registerWasmTrainingKernels } from './wasm-training.js';
import { hasWebGpuSource, prepareWebGpuBackend } from './webgpu-source.js';
import { registerWebGpuTrainingKernels } from './webgpu-training.js';
import '@tensorflow/tfjs-backend-wasm';
import '@tensorflow/tfjs-backend-webgpu';

/** Backends in order of preference: the fastest that initialises wins. */
export const BACKEND_PREFERENCE = ['webgpu', 'webgl', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKEND_PREFERENCE)[number];

export function isBackendName(name: string): name is BackendName {
  return (BACKEND_PREFERENCE as readonly string[]).includes(name);
}

/** Hook for code that must run after a backend is set (e.g. registering training kernels for wasm). */
type BackendHook = (name: BackendName) => void | Promise<void>;
// Built in: every backend gets the gradients TF.js lacks, wasm its missing training kernels (wasm-training.ts),
// webgpu a faster dW (webgpu-training.ts).
const hooks: BackendHook[] = [
  (name) =>
    name === 'wasm'
      ? registerWasmTrainingKernels()
      : name === 'webgpu'
        ? registerWebGpuTrainingKernels()
        : registerTrainingGradients(),
];

/** Registers a hook run every time `selectBackend` activates a backend. Idempotent per function. */
export function onBackendSelected(hook: BackendHook): void {
  if (!hooks.includes(hook)) hooks.push(hook);
}

/**
 * Activates `preferred` (throws BACKEND_UNAVAILABLE if it cannot start), or else the first backend of
 * BACKEND_PREFERENCE that initialises here. Returns the name of the backend now in use. Where a WebGPU source is
 * set (Node, see setWebGpuSource), `auto` takes webgpu only on a hardware adapter.
 */
export async function selectBackend(preferred?: BackendName | 'auto'): Promise<BackendName> {
  const auto = !preferred || preferred === 'auto';
  const order: readonly BackendName[] = auto ? BACKEND_PREFERENCE : [preferred];
  const failures: string[] = [];
  for (const name of order) {
    if (name === 'webgpu' && hasWebGpuSource()) {
      const refusal = await prepareWebGpuBackend(auto);
      if (refusal !== undefined) {
        failures.push(`webgpu: ${refusal}`);
        continue;
      }
    }
    if (tf.getBackend() === name) {
      await runHooks(name);
      return name;
    }
    if (!usable(name)) {
      failures.push(`${name}: not available in this environment`);
      continue;
    }
    try {
      if (await tf.setBackend(name)) {
        await tf.ready();
        await runHooks(name);
        return name;
      }
      failures.push(`${name}: failed to initialise`);
    } catch (err) {
      failures.push(`${name}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  throw new LwayError(
    'BACKEND_UNAVAILABLE',
    `No TF.js backend could start (${failures.join('; ')}). Allowed: ${BACKEND_PREFERENCE.join(', ')}`,
  );
}

/** Cheap environment checks so we skip backends that would only log noisy failures. */
function usable(name: BackendName): boolean {
  const g = globalThis as { navigator?: { gpu?: unknown }; document?: unknown; OffscreenCanvas?: unknown };
  if (name === 'webgpu') return g.navigator?.gpu !== undefined;
  if (name === 'webgl') return g.document !== undefined || g.OffscreenCanvas !== undefined;
  return true;
}

async function runHooks(name: BackendName): Promise<void> {
  for (const hook of hooks) await hook(name);
}

/** The backend in use now. */
export function currentBackend(): BackendName {
  const name = tf.getBackend();
  if (!isBackendName(name)) throw new LwayError('BACKEND_UNAVAILABLE', `Unexpected backend ${name}`);
  return name;
}
