// The reference editor: open an image, layers, rectangular selection, zoom, and the LWay panel docked beside it
// through the host SDK. Deliberately small: it exists to show how an editor embeds the plugin.
import { createHost, type CommandId, type LwayHost } from '../src/bridge/index.js';
import { CanvasView } from './canvas-view.js';
import { EditorDocument } from './editor-document.js';
import { renderLayersPanel } from './layers-panel.js';
import { ReferenceEditorAdapter } from './lway-editor-adapter.js';
import { loadImage } from './load-image.js';
import { askPluginConsent, needsConsent } from './plugin-consent.js';

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
const reloadOffer = $<HTMLButtonElement>('#status-reload');

/** True while the status bar shows a plugin problem or reload (the next 'ready' replaces it). */
let statusAboutPlugin = false;

/** Shows a plugin problem in the status bar, with the reload button. */
function showPluginProblem(message: string): void {
  status.textContent = `Plugin: ${message}`;
  statusAboutPlugin = true;
  reloadOffer.hidden = false;
}

function reloadPlugin(): void {
  reloadOffer.hidden = true;
  status.textContent = 'Reloading the plugin…';
  statusAboutPlugin = true;
  host?.reload();
}

/** Runs a menu command; a plugin that crashed or hangs shows up in the status bar (with the reload offer). */
async function runCommand(command: CommandId): Promise<void> {
  try {
    await host?.runCommand(command);
  } catch (err) {
    showPluginProblem(
      `${command} failed: ${err instanceof Error ? err.message : String(err)}. Reload the plugin to try again.`,
    );
  }
}

/**
 * Embeds the plugin; `?plugin=<manifest url>` picks another one (tests use it). A plugin from another origin is
 * loaded only after the user agreed, having seen its origin and permissions.
 */
async function loadPlugin(): Promise<void> {
  const manifestUrl = new URL(params.get('plugin') ?? 'manifest.json', document.baseURI);
  host = await createHost({
    container: $('#plugin'),
    adapter: new ReferenceEditorAdapter(doc),
    manifestUrl,
    approve: (manifest, pluginUrl) =>
      !needsConsent(manifestUrl, pluginUrl, location.origin) ||
      askPluginConsent($<HTMLDialogElement>('#plugin-consent'), manifest, pluginUrl),
    onProgress: (p) => (status.textContent = `${p.stage}: ${p.done}/${p.total}`),
    onNotify: (n) => (status.textContent = n.message),
    onStateChange: (s, err) => {
      document.body.dataset.plugin = s;
      if (err) showPluginProblem(err.message);
      else if (s === 'ready' && statusAboutPlugin) {
        reloadOffer.hidden = true;
        statusAboutPlugin = false;
        status.textContent = 'Plugin ready.';
      }
    },
  });
  const menu = $('#commands');
  for (const c of host.manifest.contributes.commands) {
    const b = document.createElement('button');
    b.textContent = c.title;
    b.dataset.command = c.command;
    b.addEventListener('click', () => void runCommand(c.command as CommandId));
    menu.append(b);
  }
  $('#reload-plugin').addEventListener('click', reloadPlugin);
  reloadOffer.addEventListener('click', reloadPlugin);
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
ready.catch((e: unknown) => {
  const message = e instanceof Error ? e.message : String(e);
  const declined = (e as { code?: unknown }).code === 'PERMISSION_DENIED';
  status.textContent = declined ? `Plugin not loaded: ${message}.` : `Error: ${message}`;
});
window.lwayEditor = { doc, host: () => host, ready };
