import type { ChildNode, Element } from 'domhandler';
import { DomUtils, parseDocument as parseHtml } from 'htmlparser2';
import { Text } from 'domhandler';
import { htmlToBlocks } from './html';
import { cleanTitle } from './pdf';
import type { ParsedDocument } from './types';
import { metadataTitle } from './xml';

const ALPHA = 'abcdefghijklmnopqrstuvwxyz';
const ROMAN: [number, string][] = [[1000, 'm'], [900, 'cm'], [500, 'd'], [400, 'cd'], [100, 'c'], [90, 'xc'], [50, 'l'], [40, 'xl'], [10, 'x'], [9, 'ix'], [5, 'v'], [4, 'iv'], [1, 'i']];

function roman(value: number): string {
  let rest = value;
  let out = '';
  for (const [amount, letters] of ROMAN) while (rest >= amount) {
    out += letters;
    rest -= amount;
  }
  return out;
}

function alpha(value: number): string {
  let rest = value;
  let out = '';
  while (rest > 0) {
    rest -= 1;
    out = ALPHA[rest % 26]! + out;
    rest = Math.floor(rest / 26);
  }
  return out;
}

/**
 * The marker Word's default multilevel list shows at a nesting depth: 1. / a. / i., then again.
 * mammoth keeps a list's nesting and that it is numbered, not its number format or start value.
 */
export function listMarker(depth: number, index: number): string {
  switch (depth % 3) {
    case 0:
      return `${index}.`;
    case 1:
      return `${alpha(index)}.`;
    default:
      return `${roman(index)}.`;
  }
}

function numberLists(nodes: readonly ChildNode[], depth: number): void {
  for (const node of nodes) {
    if (node.type !== 'tag') continue;
    const element = node as Element;
    if (element.name === 'ol') {
      let index = 0;
      for (const item of element.children) {
        if (item.type !== 'tag' || (item as Element).name !== 'li') continue;
        index += 1;
        DomUtils.prependChild(item as Element, new Text(`${listMarker(depth, index)} `));
        numberLists((item as Element).children, depth + 1);
      }
    } else if (element.name === 'ul') {
      for (const item of element.children) if (item.type === 'tag') numberLists((item as Element).children, depth + 1);
    } else numberLists(element.children, depth);
  }
}

/** mammoth's HTML as blocks, ordered list items prefixed with their numbers. */
export function docxHtmlToDocument(html: string, coreXml: string | undefined): ParsedDocument {
  const dom = parseHtml(html, { decodeEntities: true });
  numberLists(dom.children, 0);
  const { blocks } = htmlToBlocks(DomUtils.getOuterHTML(dom.children));
  const heading = blocks.find((block) => block.kind === 'heading')?.text.replace(/\s+/gu, ' ').trim();
  const title = cleanTitle(metadataTitle(coreXml)) ?? cleanTitle(heading);
  return {
    mime: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    pageCount: null,
    ...(title === undefined ? {} : { title }),
    pages: [{ page: null, blocks }],
  };
}
