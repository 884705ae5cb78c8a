/**
 * A minimal PDF writer for test fixtures: one Helvetica text block per page,
 * real xref table, nothing else. Enough for pdf.js to extract the text, and
 * small enough to read: every byte of the fixture is known.
 */
function escapePdfText(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\(/g, '\\(').replace(/\)/g, '\\)');
}

/** Wraps a paragraph to lines of at most `width` characters. */
function wrap(paragraph: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of paragraph.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines;
}

export interface PdfPage {
  heading?: string;
  paragraphs: string[];
}

export function makePdf(pages: PdfPage[], title = 'Test document'): Buffer {
  const objects: string[] = [];
  const add = (body: string) => {
    objects.push(body);
    return objects.length;
  };
  const catalog = add('');
  const pagesId = add('');
  const font = add('<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>');
  const bold = add('<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>');
  const info = add(`<< /Title (${escapePdfText(title)}) /Producer (attest e2e fixture) >>`);
  const pageIds: number[] = [];
  for (const page of pages) {
    const ops: string[] = ['BT', '72 740 Td'];
    if (page.heading) ops.push('/F2 16 Tf', '20 TL', `(${escapePdfText(page.heading)}) Tj`, 'T*', 'T*');
    ops.push('/F1 11 Tf', '15 TL');
    for (const paragraph of page.paragraphs) {
      for (const line of wrap(paragraph, 88)) ops.push(`(${escapePdfText(line)}) Tj`, 'T*');
      ops.push('T*');
    }
    ops.push('ET');
    const stream = ops.join('\n');
    const content = add(`<< /Length ${Buffer.byteLength(stream, 'latin1')} >>\nstream\n${stream}\nendstream`);
    pageIds.push(add(`<< /Type /Page /Parent ${pagesId} 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 ${font} 0 R /F2 ${bold} 0 R >> >> /Contents ${content} 0 R >>`));
  }
  objects[catalog - 1] = `<< /Type /Catalog /Pages ${pagesId} 0 R >>`;
  objects[pagesId - 1] = `<< /Type /Pages /Kids [${pageIds.map((id) => `${id} 0 R`).join(' ')}] /Count ${pageIds.length} >>`;

  let out = '%PDF-1.4\n%\xe2\xe3\xcf\xd3\n';
  const offsets: number[] = [];
  objects.forEach((body, index) => {
    offsets.push(Buffer.byteLength(out, 'latin1'));
    out += `${index + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = Buffer.byteLength(out, 'latin1');
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const offset of offsets) out += `${String(offset).padStart(10, '0')} 00000 n \n`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root ${catalog} 0 R /Info ${info} 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

/** The e2e fixture: a two-page pump manual whose sentences the tests ask about. */
export const MANUAL_FACTS = {
  service: 'The Kestrel K7 pump must be serviced every 400 operating hours by a certified technician.',
  torque: 'During reassembly the inlet valve is torqued to 42 newton metres.',
  warranty: 'The Kestrel warranty covers parts and labour for three years from the date of purchase.',
};

export function pumpManualPdf(): Buffer {
  return makePdf(
    [
      {
        heading: 'Kestrel K7 Pump Maintenance Guide',
        paragraphs: [
          'This guide explains routine care for the Kestrel K7 centrifugal pump used in municipal water systems.',
          MANUAL_FACTS.service,
          'Before any service, isolate the pump from mains power and close both the suction and discharge valves.',
          MANUAL_FACTS.torque,
          'Replace the mechanical seal whenever leakage exceeds ten drops per minute at the seal housing.',
        ],
      },
      {
        heading: 'Warranty and Support',
        paragraphs: [
          MANUAL_FACTS.warranty,
          'Damage caused by running the pump dry is not covered by the warranty.',
          'Customers can reach the support desk by telephone on weekdays between eight and six.',
        ],
      },
    ],
    'Kestrel K7 Pump Maintenance Guide',
  );
}
