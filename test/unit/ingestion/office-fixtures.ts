import { deflateRawSync } from 'node:zlib';
import { AlignmentType, Document, HeadingLevel, LevelFormat, Packer, Paragraph, Table, TableCell, TableRow, TextRun } from 'docx';
import ExcelJS from 'exceljs';
import MailComposer from 'nodemailer/lib/mail-composer';
import PptxGenJS from 'pptxgenjs';

/** A DOCX written by the docx library: a title, headings, a numbered list (two levels) and a table. */
export async function makeDocx(): Promise<Uint8Array> {
  const doc = new Document({
    title: 'Pump Maintenance Guide',
    numbering: {
      config: [
        {
          reference: 'steps',
          levels: [
            { level: 0, format: LevelFormat.DECIMAL, text: '%1.', alignment: AlignmentType.START },
            { level: 1, format: LevelFormat.LOWER_LETTER, text: '%2.', alignment: AlignmentType.START },
          ],
        },
      ],
    },
    sections: [
      {
        children: [
          new Paragraph({ text: 'Pump Maintenance', heading: HeadingLevel.HEADING_1 }),
          new Paragraph({ children: [new TextRun('The pump needs service every 400 operating hours.')] }),
          new Paragraph({ text: 'Replacing the seal', heading: HeadingLevel.HEADING_2 }),
          new Paragraph({ text: 'Close the inlet valve.', numbering: { reference: 'steps', level: 0 } }),
          new Paragraph({ text: 'Drain the housing.', numbering: { reference: 'steps', level: 0 } }),
          new Paragraph({ text: 'Loosen the four bolts.', numbering: { reference: 'steps', level: 1 } }),
          new Paragraph({ text: 'Fit the new seal.', numbering: { reference: 'steps', level: 0 } }),
          new Table({
            rows: [
              new TableRow({ children: [new TableCell({ children: [new Paragraph('Part')] }), new TableCell({ children: [new Paragraph('Torque')] })] }),
              new TableRow({ children: [new TableCell({ children: [new Paragraph('Housing bolt')] }), new TableCell({ children: [new Paragraph('25 Nm')] })] }),
            ],
          }),
        ],
      },
    ],
  });
  return new Uint8Array(await Packer.toBuffer(doc));
}

/** A PPTX written by pptxgenjs: three slides with titles, the second with speaker notes. */
export async function makePptx(): Promise<Uint8Array> {
  const pptx = new PptxGenJS();
  pptx.title = 'Quarterly Support Review';
  const titles = ['Quarterly Support Review', 'Ticket Volume', 'Next Steps'];
  const bodies = ['Prepared by the support team.', 'Tickets fell by 18 percent after the router firmware fix.', 'Publish the new onboarding checklist.'];
  titles.forEach((title, index) => {
    const slide = pptx.addSlide();
    slide.addText(title, { x: 0.5, y: 0.3, w: 9, h: 1, fontSize: 32, bold: true });
    slide.addText(bodies[index]!, { x: 0.5, y: 1.5, w: 9, h: 2, fontSize: 16 });
    if (index === 1) slide.addNotes('Mention the firmware rollout date of 3 March.');
  });
  const out = (await pptx.write({ outputType: 'nodebuffer' })) as Buffer;
  return new Uint8Array(out);
}

/** An XLSX written by exceljs: a "Plans" sheet of `rows` rows under a header row, and a small "Regions" sheet. */
export async function makeXlsx(rows = 60): Promise<Uint8Array> {
  const workbook = new ExcelJS.Workbook();
  workbook.title = 'Price List 2026';
  const plans = workbook.addWorksheet('Plans');
  plans.addRow(['Plan', 'Monthly price', 'Seats']);
  for (let index = 1; index <= rows; index += 1) plans.addRow([`Plan ${index}`, `${index * 10} EUR`, index * 5]);
  const regions = workbook.addWorksheet('Regions');
  regions.addRow(['Region', 'Support hours']);
  regions.addRow(['EMEA', '08:00-18:00 CET']);
  return new Uint8Array(await workbook.xlsx.writeBuffer());
}

/** An email written by nodemailer's MailComposer, with a text body and an attachment. */
/** An email (multipart/mixed: text/plain body and attachments), written by nodemailer's composer. */
export async function makeEml(
  options: { subject?: string; text?: string; attachments?: { filename: string; content: string | Uint8Array; contentType?: string }[] } = {},
): Promise<Uint8Array> {
  const mail = new MailComposer({
    from: 'Dana Support <dana@example.com>',
    to: 'customer@example.org',
    subject: options.subject ?? 'Your replacement router has shipped',
    date: new Date('2026-03-04T10:00:00Z'),
    text: options.text ?? 'Hello,\n\nyour replacement router shipped today with tracking number ZX-4471.\n\nRegards,\nDana',
    attachments: (options.attachments ?? [{ filename: 'label.txt', content: 'shipping label' }]).map((item) => ({
      filename: item.filename,
      content: typeof item.content === 'string' ? item.content : Buffer.from(item.content),
      ...(item.contentType ? { contentType: item.contentType } : {}),
    })),
  });
  return new Uint8Array(await mail.compile().build());
}

/**
 * A zip written by hand so its sizes can lie: each entry deflated, its declared uncompressed size
 * `declared` (default: the truth).
 */
export function makeZip(entries: { name: string; data: Uint8Array; declared?: number }[]): Uint8Array {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = Buffer.from(entry.name, 'utf8');
    const compressed = deflateRawSync(entry.data);
    const size = entry.declared ?? entry.data.length;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(compressed.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(compressed.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, compressed);
    centrals.push(central, name);
    offset += local.length + name.length + compressed.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return new Uint8Array(Buffer.concat([...locals, directory, end]));
}

const ODF_NS =
  'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" ' +
  'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" ' +
  'xmlns:presentation="urn:oasis:names:tc:opendocument:xmlns:presentation:1.0" xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" ' +
  'xmlns:dc="http://purl.org/dc/elements/1.1/"';

/** An OpenDocument file as LibreOffice lays it out: the `mimetype` entry first, content.xml with `body`, meta.xml with the title. */
export function makeOdf(mime: string, body: string, title?: string): Uint8Array {
  const encode = (text: string) => new TextEncoder().encode(text);
  const meta = `<?xml version="1.0" encoding="UTF-8"?><office:document-meta ${ODF_NS}><office:meta>${title ? `<dc:title>${title}</dc:title>` : ''}</office:meta></office:document-meta>`;
  return makeZip([
    { name: 'mimetype', data: encode(mime) },
    { name: 'content.xml', data: encode(`<?xml version="1.0" encoding="UTF-8"?><office:document-content ${ODF_NS}>${body}</office:document-content>`) },
    { name: 'meta.xml', data: encode(meta) },
  ]);
}
