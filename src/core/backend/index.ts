// Backend choice (WebGPU -> WebGL -> WASM -> CPU) and the one place backends and training kernels are registered.
export {
  BACKEND_PREFERENCE,
  type BackendName,
  currentBackend,
  isBackendName,
  onBackendSelected,
  selectBackend,
} from './select-backend.js';
export { type WebGpuSource, setWebGpuSource } from './webgpu-source.js';
