// Test page: a host (our host SDK) whose adapter records every call and can hold getActiveLayer until the test
// releases it, so a reply can be made to arrive after the plugin frame navigated away. Serves the test plugin.
import {
  createHost,
  type ActiveLayer,
  type EditorAdapter,
  type LwayHost,
} from '../../../src/bridge/index.js';

const calls: string[] = [];
const states: string[] = [];
let gate: Promise<void> | null = null;
let release: () => void = () => undefined;

const side = 8;
const adapter: EditorAdapter = {
  name: 'session test host',
  version: '0.0.0',
  async getActiveLayer(): Promise<ActiveLayer> {
    calls.push('getActiveLayer');
    if (gate) await gate;
    const data = new Uint8Array(side * side * 4).fill(200);
    return {
      id: 'L1',
      name: 'Layer',
      bounds: { x: 0, y: 0, width: side, height: side },
      image: { width: side, height: side, data: data.buffer },
    };
  },
  async getSelection() {
    calls.push('getSelection');
    return null;
  },
  async addLayer() {
    calls.push('addLayer');
    return 'L2';
  },
};

const host: LwayHost = await createHost({
  container: document.getElementById('plugin')!,
  adapter,
  manifestUrl: '/e2e/test-plugin/manifest.json',
  onStateChange: (s, err) => states.push(err ? `${s}: ${err.message}` : s),
});
await host.ready();

declare global {
  interface Window {
    sessionHost: {
      host: LwayHost;
      calls: string[];
      states: string[];
      /** Holds getActiveLayer until release() is called. */
      hold(): void;
      release(): void;
    };
  }
}
window.sessionHost = {
  host,
  calls,
  states,
  hold: () => {
    gate = new Promise<void>((r) => (release = r));
  },
  release: () => {
    gate = null;
    release();
  },
};
document.body.dataset.ready = 'true';
