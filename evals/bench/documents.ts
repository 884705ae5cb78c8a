/**
 * Office parsing throughput and OCR pages per second (two tesseract threads, as OCR_WORKERS=2 on the 2-core
 * target) with the process's memory. Usage: npm run bench -- documents [ocrPages=6] [officeRounds=5]
 * Office files: ../shared/datasets/wled-docs/office; OCR pages: the three WLED scans, rendered and OCR'd by parsePdf.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseDocument } from '../../ingestion/parse';
import { closeOcrEngines, setOcrWorkers } from '../../ingestion/parse/ocr';
import { pdfWorkers } from '../../ingestion/parse/pdf-worker-pool';
import { officeWorkers } from '../../ingestion/parse/worker-call';
import { sniffMime } from '../../ingestion/sniff';

const [ocrPages = 6, officeRounds = 5] = process.argv.slice(2).map(Number);
const wled = path.resolve(process.cwd(), '../shared/datasets/wled-docs');
const read = (dir: string) => readdirSync(path.join(wled, dir)).map((name) => ({ name, bytes: new Uint8Array(readFileSync(path.join(wled, dir, name))) }));
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

const office = read('office');
await Promise.all(office.map((file) => parseDocument(file.bytes, sniffMime(file.bytes, file.name)!))); // warm the workers
let started = performance.now();
let bytes = 0;
for (let round = 0; round < officeRounds; round += 1) {
  for (const file of office) {
    await parseDocument(file.bytes, sniffMime(file.bytes, file.name)!);
    bytes += file.bytes.length;
  }
}
let seconds = (performance.now() - started) / 1000;
console.log(`office: ${officeRounds * office.length} files (${office.map((file) => file.name).join(', ')}) in ${seconds.toFixed(2)} s: ${((officeRounds * office.length) / seconds).toFixed(1)} files/s, ${(bytes / 1024 / seconds).toFixed(0)} KB/s`);

setOcrWorkers(2);
const scans = read('scanned');
const rss = process.memoryUsage().rss;
started = performance.now();
const jobs = Array.from({ length: ocrPages }, (_, index) => scans[index % scans.length]!).map((file) => parseDocument(file.bytes, 'application/pdf', { pdfTimeoutMs: 300_000, ocr: { pageTimeoutMs: 300_000 } }));
const docs = await Promise.all(jobs);
seconds = (performance.now() - started) / 1000;
const confidences = docs.flatMap((doc) => doc.pages.map((page) => page.ocr?.confidence ?? 0));
console.log(
  `ocr: ${ocrPages} pages (200 dpi renders of the WLED scans) on 2 tesseract threads in ${seconds.toFixed(1)} s: ${(ocrPages / seconds).toFixed(2)} pages/s; ` +
    `mean confidence ${(confidences.reduce((a, b) => a + b, 0) / confidences.length).toFixed(0)}; process RSS ${mb(rss)} before, ${mb(process.memoryUsage().rss)} after ` +
    `(~${mb((process.memoryUsage().rss - rss) / 2)} per OCR thread with its engine and the render worker's share)`,
);
await closeOcrEngines();
await officeWorkers.close();
await pdfWorkers.close();
