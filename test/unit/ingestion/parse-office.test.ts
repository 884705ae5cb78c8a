import { afterAll, describe, expect, it } from 'vitest';
import { chunkDocument, DEFAULT_CHUNKER } from '../../../ingestion/chunk';
import { normalizeDocument } from '../../../ingestion/normalize';
import { parseDocument } from '../../../ingestion/parse';
import { officeWorkers } from '../../../ingestion/parse/worker-call';
import { DOCX, isEncryptedOffice, ODP, ODS, ODT, PPTX, sniffMime, XLSX } from '../../../ingestion/sniff';
import { AppError } from '../../../src/core/errors';
import { makeDocx, makeEml, makeOdf, makePptx, makeXlsx, makeZip } from './office-fixtures';

afterAll(async () => {
  await officeWorkers.close();
});

async function parseError(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(() => undefined, (caught: unknown) => caught);
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

const blockTexts = (doc: Awaited<ReturnType<typeof parseDocument>>) => {
  const normalized = normalizeDocument(doc);
  return normalized.blocks.map((block) => ({ kind: block.kind, level: block.level, page: block.page, text: normalized.text.slice(block.start, block.end) }));
};

describe('DOCX', () => {
  it('keeps headings, list numbers (per level) and table rows, and takes the title from the document metadata', async () => {
    const bytes = await makeDocx();
    expect(sniffMime(bytes, 'upload.bin')).toBe(DOCX);
    const doc = await parseDocument(bytes, DOCX);
    expect(doc.title).toBe('Pump Maintenance Guide');
    const blocks = blockTexts(doc);
    expect(blocks).toContainEqual(expect.objectContaining({ kind: 'heading', level: 1, text: 'Pump Maintenance' }));
    expect(blocks).toContainEqual(expect.objectContaining({ kind: 'heading', level: 2, text: 'Replacing the seal' }));
    const texts = blocks.map((block) => block.text);
    expect(texts).toContain('1. Close the inlet valve.');
    expect(texts).toContain('2. Drain the housing.');
    expect(texts).toContain('a. Loosen the four bolts.');
    expect(texts).toContain('3. Fit the new seal.');
    expect(texts).toContain('Housing bolt | 25 Nm');
  });

  it('a truncated DOCX is DOCX_CORRUPT; a password-protected one is recognised before upload', async () => {
    const bytes = await makeDocx();
    const cut = bytes.subarray(0, Math.floor(bytes.length / 2));
    // The directory is gone, so only the name says DOCX: the parser then gives the format's code.
    expect(sniffMime(cut, 'report.docx')).toBe(DOCX);
    expect((await parseError(parseDocument(cut, DOCX))).code).toBe('DOCX_CORRUPT');
    const ole = new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, ...Buffer.from('\0\0EncryptedPackage', 'utf16le')]);
    expect(isEncryptedOffice(ole)).toBe(true);
    expect(isEncryptedOffice(bytes)).toBe(false);
  });
});

describe('zip bombs', () => {
  const zeros = new Uint8Array(4 * 1024 * 1024);

  it('refuses an archive that expands beyond the cap, before a parser sees it', async () => {
    const bomb = makeZip([{ name: '[Content_Types].xml', data: new Uint8Array(10) }, { name: 'word/document.xml', data: zeros }]);
    expect(bomb.length).toBeLessThan(20_000);
    const error = await parseError(parseDocument(bomb, DOCX, { archiveMaxBytes: 1024 * 1024 }));
    expect(error.code).toBe('ARCHIVE_TOO_LARGE');
  });

  it('is not fooled by declared sizes that lie', async () => {
    const liar = makeZip([{ name: 'word/document.xml', data: zeros, declared: 100 }]);
    expect((await parseError(parseDocument(liar, DOCX, { archiveMaxBytes: 1024 * 1024 }))).code).toBe('ARCHIVE_TOO_LARGE');
  });

  it('refuses too many entries', async () => {
    const many = makeZip(Array.from({ length: 50 }, (_, index) => ({ name: `xl/f${index}.xml`, data: new Uint8Array(1) })));
    expect((await parseError(parseDocument(many, XLSX, { archiveMaxEntries: 20 }))).code).toBe('ARCHIVE_TOO_LARGE');
  });
});

describe('PPTX', () => {
  it('gives one page per slide, the slide title as a heading and the speaker notes', async () => {
    const bytes = await makePptx();
    expect(sniffMime(bytes)).toBe(PPTX);
    const doc = await parseDocument(bytes, PPTX);
    expect(doc.pageCount).toBe(3);
    expect(doc.title).toBe('Quarterly Support Review');
    const blocks = blockTexts(doc);
    expect(blocks).toContainEqual(expect.objectContaining({ kind: 'heading', page: 2, text: 'Ticket Volume' }));
    expect(blocks).toContainEqual(expect.objectContaining({ page: 2, text: 'Tickets fell by 18 percent after the router firmware fix.' }));
    expect(blocks).toContainEqual(expect.objectContaining({ page: 2, text: 'Speaker notes: Mention the firmware rollout date of 3 March.' }));
    expect(blocks.filter((block) => block.page === 3).map((block) => block.text)).toEqual(['Next Steps', 'Publish the new onboarding checklist.']);
  });
});

describe('spreadsheets', () => {
  it('XLSX: one section per sheet and row range, the header row repeated, chunks cited by sheet and rows', async () => {
    const bytes = await makeXlsx(60);
    expect(sniffMime(bytes)).toBe(XLSX);
    const doc = await parseDocument(bytes, XLSX);
    expect(doc.title).toBe('Price List 2026');
    const normalized = normalizeDocument(doc);
    const chunks = chunkDocument(normalized, DEFAULT_CHUNKER);
    const plans = chunks.filter((chunk) => chunk.headingPath[0]?.startsWith('Plans, rows'));
    expect(plans.length).toBeGreaterThan(1);
    for (const chunk of plans) {
      // The citation path names the sheet and the rows; the chunk holds exactly those rows under the header.
      const [, first, last] = /^Plans, rows (\d+)–(\d+)$/u.exec(chunk.headingPath[0]!)!;
      expect(chunk.text).toContain('Plan | Monthly price | Seats');
      expect(chunk.text).toContain(`Plan ${Number(first) - 1} | ${(Number(first) - 1) * 10} EUR`);
      expect(chunk.text).toContain(`Plan ${Number(last) - 1} | `);
      expect(chunk.text).not.toContain(`Plan ${Number(last)} | `);
    }
    const covered = plans.map((chunk) => /rows (\d+)–(\d+)/u.exec(chunk.headingPath[0]!)!.slice(1).map(Number));
    expect(covered[0]![0]).toBe(2);
    expect(covered.at(-1)![1]).toBe(61);
    expect(chunks.some((chunk) => chunk.headingPath[0] === 'Regions, row 2' && chunk.text.includes('EMEA | 08:00-18:00 CET'))).toBe(true);
  });

  it('refuses a workbook with more rows than the cap (SPREADSHEET_TOO_LARGE)', async () => {
    const bytes = await makeXlsx(300);
    expect((await parseError(parseDocument(bytes, XLSX, { spreadsheetMaxRows: 100 }))).code).toBe('SPREADSHEET_TOO_LARGE');
  });

  it('CSV: quoted fields, header repeated per section, row cap', async () => {
    const lines = ['name,notes', ...Array.from({ length: 120 }, (_, index) => `item ${index + 1},"said ""hello"", then left"`)];
    const bytes = new TextEncoder().encode(lines.join('\n'));
    expect(sniffMime(bytes, 'items.csv')).toBe('text/csv');
    expect(sniffMime(bytes, 'items.txt')).toBe('text/plain');
    const doc = await parseDocument(bytes, 'text/csv');
    const texts = blockTexts(doc).map((block) => block.text);
    expect(texts).toContain('item 7 | said "hello", then left');
    expect(texts.filter((text) => text === 'name | notes').length).toBeGreaterThan(1);
    expect(texts[0]).toMatch(/^rows 2–\d+$/u);
    expect((await parseError(parseDocument(bytes, 'text/csv', { spreadsheetMaxRows: 50 }))).code).toBe('SPREADSHEET_TOO_LARGE');
  });
});

describe('EML', () => {
  it('the subject as title and heading, the headers, the body and the attachment list', async () => {
    const bytes = await makeEml();
    expect(sniffMime(bytes, 'message.eml')).toBe('message/rfc822');
    const doc = await parseDocument(bytes, 'message/rfc822');
    expect(doc.title).toBe('Your replacement router has shipped');
    const text = normalizeDocument(doc).text;
    expect(text).toContain('From: Dana Support <dana@example.com>');
    expect(text).toContain('your replacement router shipped today with tracking number ZX-4471.');
    expect(text).toMatch(/Attachments: label\.txt \(text\/plain, 14 bytes\)/u);
    // The bytes come along, to become a document of their own.
    expect(doc.attachments?.map((item) => ({ ...item, content: new TextDecoder().decode(item.content) }))).toEqual([{ fileName: 'label.txt', mime: 'text/plain', content: 'shipping label' }]);
  });
});

describe('OpenDocument', () => {
  it('ODT: headings by outline level, numbered lists with their numbers, tables, spaces as elements, the title from meta.xml', async () => {
    const bytes = makeOdf(
      ODT,
      `<office:automatic-styles><text:list-style style:name="L1"><text:list-level-style-number text:level="1"/></text:list-style></office:automatic-styles>
      <office:body><office:text>
        <text:h text:outline-level="1">Pump Maintenance</text:h>
        <text:p>Check the seal<text:s text:c="2"/>monthly.<office:annotation><text:p>reviewer note</text:p></office:annotation></text:p>
        <text:h text:outline-level="2">Replacing the seal</text:h>
        <text:list text:style-name="L1">
          <text:list-item><text:p>Close the inlet valve.</text:p></text:list-item>
          <text:list-item><text:p>Drain the housing.</text:p></text:list-item>
        </text:list>
        <table:table><table:table-row><table:table-cell><text:p>Housing bolt</text:p></table:table-cell><table:table-cell><text:p>25 Nm</text:p></table:table-cell></table:table-row></table:table>
      </office:text></office:body>`,
      'Pump Guide ODT',
    );
    expect(sniffMime(bytes, 'upload.bin')).toBe(ODT);
    const doc = await parseDocument(bytes, ODT);
    expect(doc.title).toBe('Pump Guide ODT');
    const blocks = blockTexts(doc);
    expect(blocks).toContainEqual(expect.objectContaining({ kind: 'heading', level: 1, text: 'Pump Maintenance' }));
    expect(blocks).toContainEqual(expect.objectContaining({ kind: 'heading', level: 2, text: 'Replacing the seal' }));
    const texts = blocks.map((block) => block.text);
    expect(texts).toEqual(expect.arrayContaining(['Check the seal monthly.', '1. Close the inlet valve.', '2. Drain the housing.', 'Housing bolt | 25 Nm']));
    expect(texts.join(' ')).not.toContain('reviewer note');
  });

  it('ODP: one page per slide with its title as heading and its speaker notes', async () => {
    const slide = (title: string, line: string, notes: string) =>
      `<draw:page><draw:frame presentation:class="title"><draw:text-box><text:p>${title}</text:p></draw:text-box></draw:frame>` +
      `<draw:frame presentation:class="outline"><draw:text-box><text:p>${line}</text:p></draw:text-box></draw:frame>` +
      `<presentation:notes><draw:frame presentation:class="notes"><draw:text-box><text:p>${notes}</text:p></draw:text-box></draw:frame></presentation:notes></draw:page>`;
    const bytes = makeOdf(ODP, `<office:body><office:presentation>${slide('Setup', 'Plug in the controller.', 'Mention the fuse.')}${slide('Presets', 'Save up to 250 presets.', 'Demo one.')}</office:presentation></office:body>`);
    expect(sniffMime(bytes, 'deck.bin')).toBe(ODP);
    const doc = await parseDocument(bytes, ODP);
    expect(doc.pageCount).toBe(2);
    expect(doc.title).toBe('Setup');
    expect(blockTexts(doc)).toEqual([
      { kind: 'heading', level: 1, page: 1, text: 'Setup' },
      { kind: 'paragraph', level: undefined, page: 1, text: 'Plug in the controller.' },
      { kind: 'paragraph', level: undefined, page: 1, text: 'Speaker notes: Mention the fuse.' },
      { kind: 'heading', level: 1, page: 2, text: 'Presets' },
      { kind: 'paragraph', level: undefined, page: 2, text: 'Save up to 250 presets.' },
      { kind: 'paragraph', level: undefined, page: 2, text: 'Speaker notes: Demo one.' },
    ]);
  });

  it('ODS: sheets with repeated rows expanded, cited by sheet and rows; the row cap holds for repeats; a broken one is ODF_CORRUPT', async () => {
    const cell = (text: string) => `<table:table-cell><text:p>${text}</text:p></table:table-cell>`;
    const body = (repeat: number) =>
      `<office:body><office:spreadsheet><table:table table:name="Plans">` +
      `<table:table-row>${cell('plan')}${cell('price')}</table:table-row>` +
      `<table:table-row table:number-rows-repeated="${repeat}">${cell('Basic')}${cell('9 EUR')}</table:table-row>` +
      `<table:table-row>${cell('Pro')}${cell('29 EUR')}</table:table-row>` +
      `<table:table-row table:number-rows-repeated="1048570"/>` +
      `</table:table></office:spreadsheet></office:body>`;
    const bytes = makeOdf(ODS, body(3), 'Price List ODS');
    expect(sniffMime(bytes, 'prices.bin')).toBe(ODS);
    const doc = await parseDocument(bytes, ODS);
    expect(doc.title).toBe('Price List ODS');
    const texts = blockTexts(doc).map((block) => block.text);
    expect(texts[0]).toBe('Plans, rows 2–5');
    expect(texts.filter((text) => text === 'Basic | 9 EUR')).toHaveLength(3);
    expect(texts).toContain('Pro | 29 EUR');
    expect((await parseError(parseDocument(makeOdf(ODS, body(5000)), ODS, { spreadsheetMaxRows: 1000 }))).code).toBe('SPREADSHEET_TOO_LARGE');
    expect((await parseError(parseDocument(bytes.subarray(0, bytes.length - 40), ODS))).code).toBe('ODF_CORRUPT');
  });
});

