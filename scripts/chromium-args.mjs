// Flags for Debian's headless Chromium in tests, shared by web-test-runner and the playwright e2e harness:
// WebGPU on (SwiftShader here), no sandbox (we run as root), and no background traffic (the network is closed).
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu-sandbox',
  '--enable-unsafe-webgpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
