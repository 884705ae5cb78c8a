/**
 * A minimal PDF writer for tests: pages of positioned Helvetica text (WinAnsi,
 * so ASCII only), written with a correct xref table. Our own fixtures, built on
 * the fly, so no binary files live in the repository.
 */
export interface PdfText {
  text: string;
  x?: number;
  y: number;
  size?: number;
}

/** A page is text runs, or raw content-stream operators for pages without text. */
export type PdfPage = PdfText[] | { rawContent: string };

function escapePdfString(text: string): string {
  return text.replace(/[\\()]/gu, (character) => `\\${character}`);
}

function contentOf(page: PdfPage): string {
  if (!Array.isArray(page)) return page.rawContent;
  return page
    .map(({ text, x = 72, y, size = 11 }) => `BT /F1 ${size} Tf 1 0 0 1 ${x} ${y} Tm (${escapePdfString(text)}) Tj ET`)
    .join('\n');
}

export function makePdf(pages: readonly PdfPage[], info: { title?: string } = {}): Uint8Array {
  const objects: string[] = [];
  const add = (body: string): number => objects.push(body);
  const catalog = add('');
  const pageTree = add('');
  const font = add('<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>');
  const pageIds: number[] = [];
  for (const page of pages) {
    const content = contentOf(page);
    const stream = add(`<< /Length ${Buffer.byteLength(content, 'latin1')} >>\nstream\n${content}\nendstream`);
    pageIds.push(
      add(`<< /Type /Page /Parent ${pageTree} 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 ${font} 0 R >> >> /Contents ${stream} 0 R >>`),
    );
  }
  objects[catalog - 1] = `<< /Type /Catalog /Pages ${pageTree} 0 R >>`;
  objects[pageTree - 1] = `<< /Type /Pages /Kids [${pageIds.map((id) => `${id} 0 R`).join(' ')}] /Count ${pageIds.length} >>`;
  const infoId = info.title === undefined ? undefined : add(`<< /Title (${escapePdfString(info.title)}) >>`);

  let output = '%PDF-1.4\n%\u00e2\u00e3\u00cf\u00d3\n';
  const offsets: number[] = [];
  objects.forEach((body, index) => {
    offsets.push(Buffer.byteLength(output, 'latin1'));
    output += `${index + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xrefAt = Buffer.byteLength(output, 'latin1');
  output += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const offset of offsets) output += `${String(offset).padStart(10, '0')} 00000 n \n`;
  output += `trailer\n<< /Size ${objects.length + 1} /Root ${catalog} 0 R${infoId === undefined ? '' : ` /Info ${infoId} 0 R`} >>\nstartxref\n${xrefAt}\n%%EOF\n`;
  return new Uint8Array(Buffer.from(output, 'latin1'));
}

/**
 * Lays out text top-down like a simple word processor: 14 pt leading, an empty
 * string for a paragraph gap, `# ` for an 18 pt heading line.
 */
export function textPage(lines: readonly string[]): PdfText[] {
  const runs: PdfText[] = [];
  let y = 740;
  for (const line of lines) {
    if (line === '') {
      y -= 14;
      continue;
    }
    const heading = line.startsWith('# ');
    if (heading) y -= 8;
    runs.push({ text: heading ? line.slice(2) : line, y, size: heading ? 18 : 11 });
    y -= heading ? 26 : 14;
  }
  return runs;
}
