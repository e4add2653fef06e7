// A minimal plugin for the e2e tests until the real panel lands: on "upscale selection" it reads the selection
// and active layer through the plugin client, upscales with core's `upscale` (tiny deterministic x4 model, cpu
// backend) and adds the result as a new layer at the selection. `?cancelAfterTiles=N` aborts its own run after N
// tiles, to test that a cancelled run leaves the document as it was.
import {
  connectToAnyHost,
  rgbaImage,
  startPluginWorker,
  type HostClient,
} from '../../../src/bridge/index.js';
import { tf } from '../../../src/core/tf.js';
import { upscale } from '../../../src/core/upscale/upscale.js';
import { createTinySrModel } from '../../helpers/tiny-sr-model.js';

const params = new URLSearchParams(location.search);
const cancelAfterTiles = Number(params.get('cancelAfterTiles') ?? 0);
const log = (s: string) => (document.getElementById('log')!.textContent += s + '\n');
const setState = (s: string) => (document.body.dataset.state = s);

async function run(client: HostClient): Promise<void> {
  setState('running');
  const ac = new AbortController();
  const sel = await client.getSelection();
  const layer = await client.getActiveLayer();
  const rect = sel ?? layer.bounds;
  // Crop the selection out of the layer (the selection is in document coordinates).
  const src = new Uint8Array(layer.image.data);
  const crop = new Uint8Array(rect.width * rect.height * 4);
  for (let y = 0; y < rect.height; y++) {
    const sy = rect.y - layer.bounds.y + y;
    const sx = rect.x - layer.bounds.x;
    crop.set(
      src.subarray((sy * layer.bounds.width + sx) * 4, (sy * layer.bounds.width + sx + rect.width) * 4),
      y * rect.width * 4,
    );
  }
  await tf.setBackend('cpu');
  const model = createTinySrModel({ scale: 4 });
  let tiles = 0;
  try {
    const out = await upscale(
      model,
      { data: crop, width: rect.width, height: rect.height, channels: 4 },
      {
        tileSize: 16,
        overlap: 2,
        signal: ac.signal,
        onProgress: (p) => {
          client.progress({ stage: 'upscale', done: p.done, total: p.total });
          if (cancelAfterTiles > 0 && ++tiles >= cancelAfterTiles) ac.abort();
        },
      },
    );
    const id = await client.addLayer(
      {
        name: 'LWay x4',
        image: rgbaImage(out.data, out.width, out.height),
        position: { x: rect.x, y: rect.y },
      },
      { signal: ac.signal },
    );
    log(`added ${id}`);
    setState('done');
  } catch (e) {
    const err = e as Error & { code?: string };
    log(`${err.name}: ${err.message}`);
    setState(err.code === 'ABORTED' ? 'cancelled' : `error: ${err.message}`);
  } finally {
    model.dispose();
  }
}

const client = await connectToAnyHost({
  pluginId: 'lway.super-resolution',
  pluginVersion: '0.1.0',
  // The Photopea e2e serves its emulator from the test server (a test fixture may trust the URL; the panel not).
  photopeaOrigin: params.get('photopeaOrigin') ?? undefined,
});
log(`connected to ${client.host.name} (protocol ${client.protocolVersion})`);
// A sandboxed page cannot start http: workers directly; startPluginWorker must work around it.
const worker = await startPluginWorker(new URL('./echo-worker.js?probe=1', location.href));
const reply = await new Promise<{ url: string }>((resolve) => {
  worker.addEventListener('message', (e: MessageEvent<{ url: string }>) => resolve(e.data), { once: true });
  worker.postMessage('ping');
});
worker.terminate();
document.body.dataset.workerUrl = reply.url;
document.body.dataset.pageOrigin = self.origin;
setState('ready');
client.onCommand((c) => {
  if (c === 'lway.upscaleSelection') void run(client);
});
// Photopea has no command menu for plugins: the adapter exposes a Run button instead.
(window as unknown as { lwayRun: () => Promise<void> }).lwayRun = () => run(client);
