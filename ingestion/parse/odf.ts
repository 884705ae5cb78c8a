import type { ChildNode, Element } from 'domhandler';
import { ODP, ODS, ODT } from '../sniff';
import { listMarker } from './docx';
import { cleanTitle } from './pdf';
import { sheetBlocks, type Sheet } from './sheets';
import type { ParsedBlock, ParsedDocument, ParsedPage } from './types';
import { childElements, descendants, firstDescendant, isElement, metadataTitle, parseXml } from './xml';

type Entries = Record<string, string>;

/** ODF paragraph text: spaces (text:s), tabs and line breaks are elements, not characters. */
function odfText(nodes: readonly ChildNode[]): string {
  let text = '';
  for (const node of nodes) {
    if (node.type === 'text') text += (node as unknown as { data: string }).data;
    else if (isElement(node)) {
      if (node.name === 'text:s') text += ' '.repeat(Math.min(Number(node.attribs['text:c'] ?? 1) || 1, 100));
      else if (node.name === 'text:tab') text += '\t';
      else if (node.name === 'text:line-break') text += '\n';
      else if (node.name === 'text:note' || node.name === 'office:annotation') continue;
      else text += odfText(node.children);
    }
  }
  return text;
}

/** Names of list styles whose first level is numbered (text:list-level-style-number), from content and styles. */
function numberedListStyles(entries: Entries): Set<string> {
  const numbered = new Set<string>();
  for (const xml of [entries['content.xml'], entries['styles.xml']]) {
    if (!xml) continue;
    for (const style of descendants(parseXml(xml), 'text:list-style')) {
      const first = childElements(style)[0];
      if (first?.name === 'text:list-level-style-number' && style.attribs['style:name']) numbered.add(style.attribs['style:name']);
    }
  }
  return numbered;
}

class OdtWalker {
  readonly blocks: ParsedBlock[] = [];

  constructor(private readonly numbered: Set<string>) {}

  walk(nodes: readonly ChildNode[], list?: { depth: number; numbered: boolean }): void {
    for (const node of nodes) {
      if (!isElement(node)) continue;
      switch (node.name) {
        case 'text:h':
          this.blocks.push({ kind: 'heading', level: Math.min(Number(node.attribs['text:outline-level'] ?? 1) || 1, 6), text: odfText(node.children) });
          break;
        case 'text:p':
          this.blocks.push({ kind: 'paragraph', text: odfText(node.children) });
          break;
        case 'text:list': {
          const styleNumbered = node.attribs['text:style-name'] ? this.numbered.has(node.attribs['text:style-name']) : (list?.numbered ?? false);
          const depth = list ? list.depth + 1 : 0;
          let index = 0;
          for (const item of childElements(node, 'text:list-item')) {
            index += 1;
            const before = this.blocks.length;
            this.walk(item.children, { depth, numbered: styleNumbered });
            const first = this.blocks[before];
            if (styleNumbered && first && first.kind === 'paragraph') first.text = `${listMarker(depth, index)} ${first.text}`;
          }
          break;
        }
        case 'table:table':
          for (const row of descendants(node.children, 'table:table-row')) {
            const cells = childElements(row, 'table:table-cell').map((cell) => odfText(cell.children).replace(/\s+/gu, ' ').trim()).filter((cell) => cell.length > 0);
            if (cells.length > 0) this.blocks.push({ kind: 'paragraph', text: cells.join(' | ') });
          }
          break;
        default:
          this.walk(node.children, list);
      }
    }
  }
}

function title(entries: Entries, blocks: readonly ParsedBlock[]): string | undefined {
  const heading = blocks.find((block) => block.kind === 'heading')?.text;
  return cleanTitle(metadataTitle(entries['meta.xml'])) ?? cleanTitle(heading);
}

function officeBody(entries: Entries, kind: string): Element | undefined {
  const content = entries['content.xml'];
  return content ? firstDescendant(parseXml(content), kind) : undefined;
}

export function odtToDocument(entries: Entries): ParsedDocument {
  const walker = new OdtWalker(numberedListStyles(entries));
  walker.walk(officeBody(entries, 'office:text')?.children ?? []);
  const docTitle = title(entries, walker.blocks);
  return { mime: ODT, pageCount: null, ...(docTitle === undefined ? {} : { title: docTitle }), pages: [{ page: null, blocks: walker.blocks }] };
}

/** One page per draw:page; its notes (presentation:notes) follow its text, as for PPTX. */
export function odpToDocument(entries: Entries): ParsedDocument {
  const pages: ParsedPage[] = childElements(officeBody(entries, 'office:presentation') ?? { children: [] }, 'draw:page').map((slide, index) => {
    const blocks: ParsedBlock[] = [];
    for (const frame of childElements(slide)) {
      if (frame.name === 'presentation:notes') continue;
      const lines = descendants(frame.children, 'text:p').map((p) => odfText(p.children)).filter((line) => line.trim().length > 0);
      const isTitle = frame.attribs['presentation:class'] === 'title';
      if (isTitle && lines.length > 0) blocks.push({ kind: 'heading', level: 1, text: lines.join(' ') });
      else for (const line of lines) blocks.push({ kind: 'paragraph', text: line });
    }
    const notes = childElements(slide, 'presentation:notes')
      .flatMap((note) => descendants(note.children, 'draw:frame').filter((frame) => frame.attribs['presentation:class'] === 'notes'))
      .flatMap((frame) => descendants(frame.children, 'text:p').map((p) => odfText(p.children)))
      .filter((line) => line.trim().length > 0);
    if (notes.length > 0) blocks.push({ kind: 'paragraph', text: `Speaker notes: ${notes.join('\n')}` });
    return { page: index + 1, blocks };
  });
  const docTitle = title(entries, pages.flatMap((page) => page.blocks));
  return { mime: ODP, pageCount: pages.length, ...(docTitle === undefined ? {} : { title: docTitle }), pages };
}

/** ODS sheets: repeated rows and cells expanded (empty runs are not, or one "repeat 1048576" row would cost a million). */
export function odsSheets(entries: Entries, maxRows: number): Sheet[] {
  const sheets: Sheet[] = [];
  let total = 0;
  for (const table of descendants(officeBody(entries, 'office:spreadsheet')?.children ?? [], 'table:table')) {
    const sheet: Sheet = { name: table.attribs['table:name'] ?? `Sheet${sheets.length + 1}`, rows: [] };
    let rowNumber = 0;
    for (const row of descendants(table.children, 'table:table-row')) {
      const repeat = Math.max(1, Number(row.attribs['table:number-rows-repeated'] ?? 1) || 1);
      const cells: string[] = [];
      for (const cell of childElements(row).filter((child) => child.name === 'table:table-cell' || child.name === 'table:covered-table-cell')) {
        const text = descendants(cell.children, 'text:p').map((p) => odfText(p.children)).join(' ').trim();
        const times = Math.max(1, Number(cell.attribs['table:number-columns-repeated'] ?? 1) || 1);
        for (let index = 0; index < (text.length > 0 ? Math.min(times, 1000) : Math.min(times, 1)); index += 1) cells.push(text);
      }
      const empty = cells.every((cell) => cell.length === 0);
      if (!empty) {
        for (let index = 0; index < repeat; index += 1) sheet.rows.push({ n: rowNumber + index + 1, cells });
        total += repeat;
        if (total > maxRows) throw Object.assign(new Error(`the spreadsheet has more than ${maxRows} rows`), { code: 'TOO_MANY_ROWS' });
      }
      rowNumber += repeat;
    }
    sheets.push(sheet);
  }
  return sheets;
}

export function odsToDocument(entries: Entries, maxRows: number): ParsedDocument {
  const sheets = odsSheets(entries, maxRows);
  const blocks = sheets.flatMap((sheet) => sheetBlocks(sheet, { named: true }));
  const docTitle = cleanTitle(metadataTitle(entries['meta.xml']));
  return { mime: ODS, pageCount: null, ...(docTitle === undefined ? {} : { title: docTitle }), pages: [{ page: null, blocks }] };
}

