// Test page standing in for Photopea: an emulator document with the sample image and a selection, and our plugin
// in an iframe, loaded with ?host=photopea as a user's Photopea plugin JSON would load it.
import { PhotopeaEmulator } from '../../bridge/photopea-emulator.js';
import { hashPixels } from '../hash-pixels.js';

const params = new URLSearchParams(location.search);
const frame = document.getElementById('plugin') as HTMLIFrameElement;
const emulator = new PhotopeaEmulator({ plugin: () => frame.contentWindow });

const bitmap = await createImageBitmap(await (await fetch('/samples/sample.png')).blob(), {
  premultiplyAlpha: 'none',
  colorSpaceConversion: 'none',
});
const c = new OffscreenCanvas(bitmap.width, bitmap.height);
const ctx = c.getContext('2d')!;
ctx.drawImage(bitmap, 0, 0);
const doc = emulator.openDocument(bitmap.width, bitmap.height);
emulator.addLayer(
  'Background',
  0,
  0,
  bitmap.width,
  bitmap.height,
  ctx.getImageData(0, 0, bitmap.width, bitmap.height).data,
);
const sel = (params.get('selection') ?? '10,12,8,8').split(',').map(Number);
doc.selection = [sel[0], sel[1], sel[0] + sel[2], sel[1] + sel[3]];

frame.addEventListener('load', () => emulator.announceReady(), { once: true });
frame.src = `/e2e/test-plugin/index.html?host=photopea&photopeaOrigin=${encodeURIComponent(location.origin)}`;

declare global {
  interface Window {
    emulator: PhotopeaEmulator;
    hashPixels: typeof hashPixels;
  }
}
window.emulator = emulator;
window.hashPixels = hashPixels;
