#!/usr/bin/env node
// Plain-node entry for the `lway` CLI. In a checkout (src/ present, dev deps installed) it runs the TypeScript
// sources through tsx, so it never runs a stale build; an installed package without src/ runs the compiled dist/.
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const src = `${root}src/cli/main.ts`;
let main;
if (existsSync(src)) {
  const { register } = await import('tsx/esm/api');
  register();
  main = await import(pathToFileURL(src).href);
} else {
  main = await import(pathToFileURL(`${root}dist/cli/main.js`).href);
}
process.exitCode = await main.runCli(process.argv.slice(2));
