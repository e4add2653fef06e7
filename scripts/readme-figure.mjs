// Makes docs/sample-x4v3.png for the README: a 48x48 crop of samples/sample.png upscaled x4 by nearest neighbour,
// bicubic, and realesr-general-x4v3 (run `npm run demo` first; it writes out/sample-x4.png).
import sharp from 'sharp';

const crop = { left: 24, top: 40, width: 48, height: 48 };
const side = crop.width * 4;
const nearest = await sharp('samples/sample.png')
  .extract(crop)
  .resize(side, side, { kernel: 'nearest' })
  .toBuffer();
const bicubic = await sharp('samples/sample.png')
  .extract(crop)
  .resize(side, side, { kernel: 'cubic' })
  .toBuffer();
const sr = await sharp('out/sample-x4.png')
  .extract({ left: crop.left * 4, top: crop.top * 4, width: side, height: side })
  .toBuffer();
await sharp({ create: { width: side * 3 + 16, height: side, channels: 3, background: '#fff' } })
  .composite([
    { input: nearest, left: 0, top: 0 },
    { input: bicubic, left: side + 8, top: 0 },
    { input: sr, left: 2 * side + 16, top: 0 },
  ])
  .png()
  .toFile('docs/sample-x4v3.png');
console.log('wrote docs/sample-x4v3.png');
