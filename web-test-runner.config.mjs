// Browser tests: real headless Chromium (Debian's /usr/bin/chromium) with WebGPU enabled. Here WebGPU runs on
// SwiftShader (CPU, ~0.2 GFLOPS), so browser tests keep tensors tiny. Test files are pre-bundled by
// scripts/bundle-browser-tests.mjs (npm run test:browser does both).
import { readFile } from 'node:fs/promises';
import { join, normalize } from 'node:path';
import { chromeLauncher } from '@web/test-runner-chrome';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './scripts/chromium-args.mjs';

// LPIPS weights live outside the repository (../shared/lpips, or $LWAY_LPIPS_DIR): served under /lpips/ so the
// browser tests that need them can fetch them (a 404 makes those tests skip).
const LPIPS_DIR = process.env.LWAY_LPIPS_DIR ?? '../shared/lpips';
async function serveLpips(ctx, next) {
  if (!ctx.path.startsWith('/lpips/')) return next();
  const name = normalize(ctx.path.slice('/lpips/'.length));
  if (name.startsWith('..')) return next();
  try {
    ctx.body = await readFile(join(LPIPS_DIR, name));
    ctx.type = name.endsWith('.json') ? 'application/json' : 'application/octet-stream';
  } catch {
    ctx.status = 404;
  }
}

export default {
  files: ['build/browser-tests/**/*.test.js'],
  middleware: [serveLpips],
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
