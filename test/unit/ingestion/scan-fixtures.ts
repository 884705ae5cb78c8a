import { createCanvas } from '@napi-rs/canvas';

/**
 * A page "scanned" from known text: grey paper, speckle noise, rotated by 1.2 degrees, as a PNG. Deterministic
 * (seeded noise). By default a 1700x900 page with the first line at y=150 (the layout the README's character
 * error rate was measured on); `compact` fits the height to the lines, so a test of one short line OCRs a small image.
 */
export function scannedPage(lines: readonly string[], options: { width?: number; compact?: boolean } = {}): Uint8Array {
  const width = options.width ?? 1700;
  const height = options.compact ? 120 + lines.length * 90 : 900;
  const top = options.compact ? 90 : 150;
  const canvas = createCanvas(width, height);
  const context = canvas.getContext('2d');
  context.fillStyle = '#eeeeea';
  context.fillRect(0, 0, width, height);
  context.translate(width / 2, height / 2);
  context.rotate((1.2 * Math.PI) / 180);
  context.translate(-width / 2, -height / 2);
  context.fillStyle = '#222222';
  context.font = '40px serif';
  lines.forEach((line, index) => context.fillText(line, 80, top + index * 90));
  context.setTransform(1, 0, 0, 1, 0, 0);
  let seed = 7;
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  const dots = Math.round((width * height) / 255);
  for (let dot = 0; dot < dots; dot += 1) {
    context.fillStyle = random() < 0.5 ? '#888888' : '#cccccc';
    context.fillRect(random() * width, random() * height, 2, 2);
  }
  return new Uint8Array(canvas.toBuffer('image/png'));
}

/** A (multi-page) uncompressed RGBA TIFF of the given PNG pages, written as utif2's encodeImage writes one page. */
export async function makeTiff(pngPages: readonly Uint8Array[]): Promise<Uint8Array> {
  const { loadImage } = await import('@napi-rs/canvas');
  const UTIF = (await import('utif2')).default;
  const pages = await Promise.all(
    pngPages.map(async (png) => {
      const image = await loadImage(Buffer.from(png));
      const canvas = createCanvas(image.width, image.height);
      const context = canvas.getContext('2d');
      context.drawImage(image, 0, 0);
      return { width: image.width, height: image.height, rgba: new Uint8Array(context.getImageData(0, 0, image.width, image.height).data) };
    }),
  );
  // The directory first (well under 4 KB for a few pages), then each page's pixels as one strip.
  let offset = 4096;
  const ifds = pages.map((page) => {
    const ifd = {
      t256: [page.width], t257: [page.height], t258: [8, 8, 8, 8], t259: [1], t262: [2], t273: [offset], t277: [4], t278: [page.height],
      t279: [page.rgba.length], t282: [[72, 1]], t283: [[72, 1]], t284: [1], t296: [1], t338: [1],
    };
    offset += page.rgba.length;
    return ifd;
  });
  const directory = new Uint8Array(UTIF.encode(ifds as never));
  if (directory.length > 4096) throw new Error('TIFF directory too large for the fixture layout');
  const tiff = new Uint8Array(offset);
  tiff.set(directory, 0);
  let at = 4096;
  for (const page of pages) {
    tiff.set(page.rgba, at);
    at += page.rgba.length;
  }
  return tiff;
}
