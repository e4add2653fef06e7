// Test page: tui-image-editor (from npm, unmodified) hosting the LWay plugin through the host SDK and a thin
// adapter. The e2e drives tui's cropper as the selection and invokes the plugin's command.
import ImageEditor from 'tui-image-editor';
import { createHost, type LwayHost } from '../../../src/bridge/index.js';
import { TuiEditorAdapter, type TuiImageEditor } from './tui-editor-adapter.js';

const editor = new ImageEditor(document.getElementById('tui')!, {
  cssMaxWidth: 512,
  cssMaxHeight: 512,
  usageStatistics: false,
}) as unknown as TuiImageEditor & {
  loadImageFromURL(url: string, name: string): Promise<unknown>;
  startDrawingMode(mode: string): boolean;
  setCropzoneRect(ratio?: number): void;
  getObjectPosition(id: number, originX: string, originY: string): { x: number; y: number };
  getObjectProperties(id: number, keys: string[]): Record<string, number>;
  removeObject(id: number): Promise<unknown>;
};
await editor.loadImageFromURL('/samples/sample.png', 'sample');
const host: LwayHost = await createHost({
  container: document.getElementById('plugin')!,
  adapter: new TuiEditorAdapter(editor),
  manifestUrl: '/e2e/test-plugin/manifest.json',
});
await host.ready();

declare global {
  interface Window {
    tui: typeof editor;
    lwayHost: LwayHost;
  }
}
window.tui = editor;
window.lwayHost = host;
document.body.dataset.ready = 'true';
