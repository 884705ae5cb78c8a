import { createCanvas } from '@napi-rs/canvas';

/**
 * A page "scanned" from known text: grey paper, speckle noise, rotated by 1.2 degrees, as a PNG. Deterministic
 * (seeded noise). Its size follows the text, so a test of one short line OCRs a small image.
 */
export function scannedPage(lines: readonly string[], options: { width?: number } = {}): Uint8Array {
  const width = options.width ?? 1700;
  const height = 120 + lines.length * 90;
  const canvas = createCanvas(width, height);
  const context = canvas.getContext('2d');
  context.fillStyle = '#eeeeea';
  context.fillRect(0, 0, width, height);
  context.translate(width / 2, height / 2);
  context.rotate((1.2 * Math.PI) / 180);
  context.translate(-width / 2, -height / 2);
  context.fillStyle = '#222222';
  context.font = '40px serif';
  lines.forEach((line, index) => context.fillText(line, 80, 90 + index * 90));
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
