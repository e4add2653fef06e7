const LABELS: Readonly<Record<string, string>> = {
  webgpu: 'WebGPU',
  webgl: 'WebGL',
  wasm: 'WASM',
  cpu: 'CPU',
};

/** A TF.js backend name as people know it (`webgpu` -> `WebGPU`); unknown names pass through. */
export function backendLabel(name: string): string {
  return LABELS[name] ?? name;
}
