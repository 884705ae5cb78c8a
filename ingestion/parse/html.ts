import type { ChildNode, Element, Text } from 'domhandler';
import { DomUtils, ElementType, parseDocument as parseHtml } from 'htmlparser2';
import { decodeText } from './text';
import type { ParsedBlock, ParsedDocument } from './types';

// Never rendered as text, or not text at all.
const SKIPPED = new Set(['script', 'style', 'noscript', 'template', 'head', 'svg', 'math', 'iframe', 'object', 'embed', 'canvas', 'select', 'datalist']);
const HEADING = /^h([1-6])$/u;
// Elements whose boundaries end a paragraph; their inline text becomes a block.
const BLOCK = new Set([
  'address', 'article', 'aside', 'blockquote', 'body', 'caption', 'dd', 'details', 'div', 'dl', 'dt', 'fieldset',
  'figcaption', 'figure', 'footer', 'form', 'header', 'hr', 'html', 'legend', 'li', 'main', 'nav', 'ol', 'p', 'pre',
  'section', 'summary', 'table', 'tbody', 'td', 'tfoot', 'th', 'thead', 'ul',
]);

function isHidden(element: Element): boolean {
  const { attribs } = element;
  if ('hidden' in attribs || attribs['aria-hidden'] === 'true') return true;
  const style = (attribs.style ?? '').toLowerCase().replace(/\s+/gu, '');
  return style.includes('display:none') || style.includes('visibility:hidden');
}

// domutils 4 no longer exports the node guards; these mirror domhandler's.
function isElement(node: ChildNode): node is Element {
  return ElementType.isTag(node);
}

function isText(node: ChildNode): node is Text {
  return node.type === ElementType.Text;
}

function isVisibleElement(node: ChildNode): node is Element {
  return isElement(node) && !SKIPPED.has(node.name) && !isHidden(node);
}

/** Visible text of a subtree on one line; used for table cells and headings. */
function inlineText(nodes: readonly ChildNode[]): string {
  let text = '';
  for (const node of nodes) {
    if (isText(node)) text += node.data;
    else if (isVisibleElement(node)) {
      const inner = inlineText(node.children);
      text += BLOCK.has(node.name) || node.name === 'br' ? ` ${inner} ` : inner;
    }
  }
  return text;
}

class BlockCollector {
  readonly blocks: ParsedBlock[] = [];
  private buffer = '';

  flush(): void {
    if (this.buffer.trim().length > 0) this.blocks.push({ kind: 'paragraph', text: this.buffer });
    this.buffer = '';
  }

  visit(nodes: readonly ChildNode[]): void {
    for (const node of nodes) {
      if (isText(node)) this.buffer += node.data;
      else if (isVisibleElement(node)) this.visitElement(node);
    }
  }

  private visitElement(element: Element): void {
    const heading = HEADING.exec(element.name);
    if (heading) return this.addHeading(element, Number(heading[1]));
    if (element.name === 'br') {
      this.buffer += '\n';
      return;
    }
    if (element.name === 'tr') return this.addRow(element);
    if (!BLOCK.has(element.name)) return this.visit(element.children);
    this.flush();
    this.visit(element.children);
    this.flush();
  }

  private addHeading(element: Element, level: number): void {
    this.flush();
    const text = inlineText(element.children);
    if (text.trim().length > 0) this.blocks.push({ kind: 'heading', text, level });
  }

  // A table row reads best as one line, cells separated, so "Price | $10" stays together.
  private addRow(row: Element): void {
    this.flush();
    const cells = row.children
      .filter(isVisibleElement)
      .map((cell) => inlineText(cell.children).replace(/\s+/gu, ' ').trim())
      .filter((cell) => cell.length > 0);
    if (cells.length > 0) this.blocks.push({ kind: 'paragraph', text: cells.join(' | ') });
  }
}

/** Visible text as blocks, for HTML documents and HTML embedded in Markdown. */
export function htmlToBlocks(html: string): { blocks: ParsedBlock[]; title: string | undefined } {
  const dom = parseHtml(html, { decodeEntities: true });
  const collector = new BlockCollector();
  collector.visit(dom.children);
  collector.flush();
  const titleElement = DomUtils.findOne((element) => element.name === 'title', dom.children, true);
  const title = titleElement ? DomUtils.textContent(titleElement).replace(/\s+/gu, ' ').trim() : '';
  return { blocks: collector.blocks, title: title.length > 0 ? title : undefined };
}

export function parseHtmlDocument(bytes: Uint8Array): ParsedDocument {
  const { blocks, title } = htmlToBlocks(decodeText(bytes));
  return { mime: 'text/html', pageCount: null, ...(title === undefined ? {} : { title }), pages: [{ page: null, blocks }] };
}
