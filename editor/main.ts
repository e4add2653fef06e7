// The reference editor: open an image, layers, rectangular selection, zoom, and the LWay panel docked beside it
// through the host SDK. Deliberately small: it exists to show how an editor embeds the plugin.
import { createHost, type CommandId, type LwayHost } from '../src/bridge/index.js';
import { CanvasView } from './canvas-view.js';
import { EditorDocument } from './editor-document.js';
import { renderLayersPanel } from './layers-panel.js';
import { ReferenceEditorAdapter } from './lway-editor-adapter.js';
import { loadImage } from './load-image.js';

const $ = <T extends HTMLElement>(sel: string) => document.querySelector<T>(sel)!;
const params = new URLSearchParams(location.search);

const doc = new EditorDocument();
const view = new CanvasView($('#stage'), doc);
renderLayersPanel($('#layers'), doc);
const status = $('#status');

async function open(source: Blob | string, name: string): Promise<void> {
  doc.open(name, await loadImage(source));
  status.textContent = `${name}: ${doc.width}×${doc.height}`;
}

$<HTMLInputElement>('#file').addEventListener('change', (e) => {
  const f = (e.target as HTMLInputElement).files?.[0];
  if (f) void open(f, f.name);
});
const stage = $('#stage');
stage.addEventListener('dragover', (e) => e.preventDefault());
stage.addEventListener('drop', (e) => {
  e.preventDefault();
  const f = e.dataTransfer?.files[0];
  if (f) void open(f, f.name);
});
$('#zoom-in').addEventListener('click', () => setZoom(view.zoom * 2));
$('#zoom-out').addEventListener('click', () => setZoom(view.zoom / 2));
function setZoom(z: number): void {
  view.setZoom(z);
  $('#zoom-label').textContent = `${Math.round(view.zoom * 100)}%`;
}

let host: LwayHost | null = null;

/** Embeds the plugin; `?plugin=<manifest url>` picks another one (tests use it). */
async function loadPlugin(): Promise<void> {
  host = await createHost({
    container: $('#plugin'),
    adapter: new ReferenceEditorAdapter(doc),
    manifestUrl: params.get('plugin') ?? 'manifest.json',
    onProgress: (p) => (status.textContent = `${p.stage}: ${p.done}/${p.total}`),
    onNotify: (n) => (status.textContent = n.message),
    onStateChange: (s, err) => {
      document.body.dataset.plugin = s;
      if (err) status.textContent = `Plugin: ${err.message}`;
    },
  });
  const menu = $('#commands');
  for (const c of host.manifest.contributes.commands) {
    const b = document.createElement('button');
    b.textContent = c.title;
    b.dataset.command = c.command;
    b.addEventListener('click', () => void host?.runCommand(c.command as CommandId));
    menu.append(b);
  }
  $('#reload-plugin').addEventListener('click', () => host?.reload());
}

/** Test and debugging handle: read-only views of the document. */
declare global {
  interface Window {
    lwayEditor: { doc: EditorDocument; host: () => LwayHost | null; ready: Promise<void> };
  }
}

const ready = (async () => {
  setZoom(Number(params.get('zoom') ?? 2));
  await open(params.get('image') ?? 'samples/sample.png', 'sample.png');
  await loadPlugin();
})();
ready.catch((e: unknown) => (status.textContent = `Error: ${e instanceof Error ? e.message : String(e)}`));
window.lwayEditor = { doc, host: () => host, ready };
