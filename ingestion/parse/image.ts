import { AppError } from '../../src/core/errors';
import { DEFAULT_OCR_OPTIONS, ocrEngine } from './ocr';
import { officeFailure } from './office-errors';
import { DEFAULT_OFFICE_TIMEOUT_MS } from './office';
import type { OcrOptions, ParseOptions, ParsedDocument, ParsedPage } from './types';
import { callWorker, officeWorkers } from './worker-call';

export type ImageMime = 'image/png' | 'image/jpeg' | 'image/tiff';

/** Width and height from a PNG's IHDR or a JPEG's SOF marker, without decoding; undefined when the header is unreadable. */
export function imageSize(bytes: Uint8Array, mime: 'image/png' | 'image/jpeg'): { width: number; height: number } | undefined {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (mime === 'image/png') {
    if (bytes.length < 24) return undefined;
    return { width: view.getUint32(16), height: view.getUint32(20) };
  }
  let offset = 2;
  while (offset + 9 < bytes.length) {
    if (bytes[offset] !== 0xff) return undefined;
    const marker = bytes[offset + 1]!;
    // SOF0-SOF15, except DHT (C4), JPG (C8) and DAC (CC), carry the frame size.
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      return { height: view.getUint16(offset + 5), width: view.getUint16(offset + 7) };
    }
    if (marker === 0xd8 || (marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) {
      offset += 2;
      continue;
    }
    offset += 2 + view.getUint16(offset + 2);
  }
  return undefined;
}

async function pageImages(bytes: Uint8Array, mime: ImageMime, ocr: OcrOptions, options: ParseOptions): Promise<Uint8Array[]> {
  if (mime === 'image/tiff') {
    const outcome = await callWorker<{ pages: Uint8Array[] }>(
      officeWorkers,
      { kind: 'tiff', bytes, limits: { maxPages: ocr.maxPages, maxPixels: ocr.maxPixels } },
      { timeoutMs: options.officeTimeoutMs ?? DEFAULT_OFFICE_TIMEOUT_MS, maxMemoryMb: 1024, signal: options.signal },
    );
    if (!outcome.ok) throw officeFailure(outcome.failure, 'IMAGE_CORRUPT', 'TIFF');
    return outcome.result.pages;
  }
  const size = imageSize(bytes, mime);
  if (!size || size.width === 0 || size.height === 0) throw new AppError('IMAGE_CORRUPT', `the ${mime === 'image/png' ? 'PNG' : 'JPEG'} image has no readable size`, { retryable: false });
  if (size.width * size.height > ocr.maxPixels) {
    throw new AppError('IMAGE_TOO_LARGE', `the image is ${size.width}x${size.height} pixels; OCR takes at most ${ocr.maxPixels} pixels (OCR_MAX_PIXELS)`, { retryable: false });
  }
  return [bytes];
}

/** PNG, JPEG and (multi-page) TIFF images: each page's text through OCR, with its confidence. */
export async function parseImage(bytes: Uint8Array, mime: ImageMime, options: ParseOptions = {}): Promise<ParsedDocument> {
  const ocr: OcrOptions = { ...DEFAULT_OCR_OPTIONS, ...options.ocr };
  if (!ocr.enabled) throw new AppError('OCR_FAILED', 'images are read through OCR, which is turned off (OCR_ENABLED=false)', { retryable: false });
  const images = await pageImages(bytes, mime, ocr, options);
  const engine = ocrEngine(ocr.languages);
  const results = await Promise.all(images.map((image) => engine.recognize(image, ocr.pageTimeoutMs, options.signal)));
  const pages: ParsedPage[] = results.map((result, index) => ({ page: index + 1, blocks: result.blocks, ocr: { confidence: result.confidence } }));
  return { mime, pageCount: pages.length, pages };
}
