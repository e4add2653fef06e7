// Browser tests: real headless Chromium (Debian's /usr/bin/chromium) with WebGPU enabled. Here WebGPU runs on
// SwiftShader (CPU, ~0.2 GFLOPS), so browser tests keep tensors tiny. Test files are pre-bundled by
// scripts/bundle-browser-tests.mjs (npm run test:browser does both).
import { chromeLauncher } from '@web/test-runner-chrome';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './scripts/chromium-args.mjs';

export default {
  files: ['build/browser-tests/**/*.test.js'],
  browsers: [
    chromeLauncher({
      launchOptions: {
        executablePath: CHROMIUM_PATH,
        headless: true,
        args: CHROMIUM_ARGS,
      },
    }),
  ],
  concurrency: 1,
  browserStartTimeout: 120000,
  testsStartTimeout: 120000,
  testsFinishTimeout: 20 * 60 * 1000,
  testFramework: { config: { timeout: 300000 } },
};
