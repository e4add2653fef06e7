#!/usr/bin/env node
// Plain-node entry for the `lway` CLI. In a checkout (src/ present, dev deps installed) it runs the TypeScript
// sources through tsx, so it never runs a stale build; without src/ or tsx it runs the compiled dist/ (npm run build).
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const src = `${root}src/cli/main.ts`;
const dist = `${root}dist/cli/main.js`;

async function loadMain() {
  if (existsSync(src)) {
    let tsx;
    try {
      tsx = await import('tsx/esm/api');
    } catch (err) {
      if (!existsSync(dist)) throw err;
    }
    if (tsx) {
      tsx.register();
      return import(pathToFileURL(src).href);
    }
  }
  if (!existsSync(dist)) {
    console.error(
      'lway: error: neither src/ with tsx nor dist/ is available; run npm install (or npm run build)',
    );
    process.exit(1);
  }
  return import(pathToFileURL(dist).href);
}

const main = await loadMain();
process.exitCode = await main.runCli(process.argv.slice(2));
