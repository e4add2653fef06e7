// The static files of the served app, as [from, to] pairs (to: relative to the output folder). Shared by
// rollup.config.mjs (dist/web) and the real-panel e2e, which bundles with esbuild but serves the same layout.
import { readdirSync } from 'node:fs';

const WASM_DIST = 'node_modules/@tensorflow/tfjs-backend-wasm/dist';

/** [from, to] pairs; the worker loads the wasm backend's binaries from its own folder (plugin/). */
export function webStaticFiles() {
  return [
    ['editor/index.html', 'index.html'],
    ['editor/editor.css', 'editor.css'],
    ['editor/plugin.html', 'plugin/index.html'],
    ['editor/icon.svg', 'plugin/icon.svg'],
    ['manifest.json', 'manifest.json'],
    ['samples/sample.png', 'samples/sample.png'],
    ['src/bridge/adapters/photopea/photopea-plugin.json', 'photopea-plugin.json'],
    ...readdirSync(WASM_DIST)
      .filter((f) => f.endsWith('.wasm'))
      .map((f) => [`${WASM_DIST}/${f}`, `plugin/${f}`]),
  ];
}
