/** The parts of a WebGPU adapter's info we read (GPUAdapterInfo; every field may be empty). */
export interface WebGpuAdapterInfoLike {
  readonly vendor?: string;
  readonly architecture?: string;
  readonly device?: string;
  readonly description?: string;
  /** Newer implementations report it here; older ones on the adapter. */
  readonly isFallbackAdapter?: boolean;
}

/** What we make of an adapter: a real GPU, a CPU emulation we accept, or one we refuse. */
export interface WebGpuAdapterKind {
  readonly kind: 'hardware' | 'software' | 'refused';
  /** A readable name, e.g. "nvidia ampere (NVIDIA A100)" or "google swiftshader (SwiftShader driver 5.0.0)". */
  readonly name: string;
  /** Why it is refused or counted as software. */
  readonly reason?: string;
}

// Mesa's lavapipe (llvmpipe behind Vulkan): TF.js's webgpu kernels give wrong results on it (seen here with
// Chromium), so it is never used. Other CPU implementations (SwiftShader, WARP) compute correctly but slowly.
const REFUSED = /llvmpipe|lavapipe/i;
const SOFTWARE = /swiftshader|software|warp|basic render/i;

/** Classifies an adapter from its info and fallback flag (pure, so every rule is testable without a GPU). */
export function classifyWebGpuAdapter(
  info: WebGpuAdapterInfoLike,
  isFallbackAdapter = false,
): WebGpuAdapterKind {
  const fields = [info.vendor, info.architecture, info.device, info.description].filter(
    (s): s is string => typeof s === 'string' && s.length > 0,
  );
  const head = [info.vendor, info.architecture].filter(Boolean).join(' ');
  const name =
    (head && info.description ? `${head} (${info.description})` : head || info.description || '') ||
    'unnamed adapter';
  const text = fields.join(' ');
  if (REFUSED.test(text)) {
    return {
      kind: 'refused',
      name,
      reason: `${name} is Mesa's lavapipe (CPU Vulkan), on which TF.js's WebGPU kernels compute wrong results`,
    };
  }
  if (isFallbackAdapter || info.isFallbackAdapter || SOFTWARE.test(text)) {
    return { kind: 'software', name, reason: `${name} is a software (CPU) adapter` };
  }
  return { kind: 'hardware', name };
}
