import type { ChildNode, Element } from 'domhandler';
import { PPTX } from '../sniff';
import { cleanTitle } from './pdf';
import type { ParsedBlock, ParsedDocument, ParsedPage } from './types';
import { childElements, descendants, firstDescendant, isElement, metadataTitle, parseXml, textOf } from './xml';

type Entries = Record<string, string>;

/** Relationship id → target path, resolved against the part's folder. */
function relationships(entries: Entries, part: string): Map<string, { target: string; type: string }> {
  const folder = part.slice(0, part.lastIndexOf('/') + 1);
  const relsPath = `${folder}_rels/${part.slice(folder.length)}.rels`;
  const map = new Map<string, { target: string; type: string }>();
  const xml = entries[relsPath];
  if (!xml) return map;
  for (const rel of descendants(parseXml(xml), 'Relationship')) {
    const { Id: id, Target: target, Type: type } = rel.attribs;
    if (id && target) map.set(id, { target: resolvePath(folder, target), type: type ?? '' });
  }
  return map;
}

function resolvePath(folder: string, target: string): string {
  if (target.startsWith('/')) return target.slice(1);
  const parts = (folder + target).split('/');
  const out: string[] = [];
  for (const part of parts) {
    if (part === '..') out.pop();
    else if (part !== '.') out.push(part);
  }
  return out.join('/');
}

/** A DrawingML paragraph's text: runs, fields and line breaks. */
function paragraphText(paragraph: Element): string {
  let text = '';
  const walk = (nodes: readonly ChildNode[]): void => {
    for (const node of nodes) {
      if (!isElement(node)) continue;
      if (node.name === 'a:t') text += textOf(node.children);
      else if (node.name === 'a:br') text += '\n';
      else walk(node.children);
    }
  };
  walk(paragraph.children);
  return text;
}

function placeholderType(shape: Element): string | undefined {
  const placeholder = firstDescendant(shape.children.filter((child) => isElement(child) && child.name === 'p:nvSpPr'), 'p:ph');
  return placeholder ? (placeholder.attribs.type ?? 'body') : undefined;
}

/** Font size of the shape's first run, in hundredths of a point. */
function firstRunSize(shape: Element): number {
  const run = firstDescendant(shape.children, 'a:rPr');
  return Number(run?.attribs.sz ?? 0);
}

interface ShapeText {
  title: boolean;
  lines: string[];
}

function shapeTexts(slide: ChildNode[]): ShapeText[] {
  const shapes: ShapeText[] = [];
  const walk = (nodes: readonly ChildNode[]): void => {
    for (const node of nodes) {
      if (!isElement(node)) continue;
      if (node.name === 'p:sp') {
        const type = placeholderType(node);
        const lines = descendants(node.children, 'a:p').map(paragraphText).filter((line) => line.trim().length > 0);
        if (lines.length > 0) shapes.push({ title: type === 'title' || type === 'ctrTitle', lines });
        // A text box set large (24 pt or more) with one short line reads as the slide's title when it has no title placeholder.
        if (type === undefined && lines.length === 1 && firstRunSize(node) >= 2400 && lines[0]!.length <= 120) shapes[shapes.length - 1]!.title = true;
      } else if (node.name === 'a:tbl') {
        const rows = childElements(node, 'a:tr').map((row) =>
          childElements(row, 'a:tc')
            .map((cell) => descendants(cell.children, 'a:p').map(paragraphText).join(' ').replace(/\s+/gu, ' ').trim())
            .filter((cell) => cell.length > 0)
            .join(' | '),
        );
        const lines = rows.filter((row) => row.length > 0);
        if (lines.length > 0) shapes.push({ title: false, lines });
      } else walk(node.children);
    }
  };
  walk(slide);
  // Only the first title-like shape is the title; a second one is just large text.
  let seen = false;
  for (const shape of shapes) {
    if (shape.title && seen) shape.title = false;
    if (shape.title) seen = true;
  }
  return shapes;
}

function notesLines(entries: Entries, notesPath: string | undefined): string[] {
  const xml = notesPath ? entries[notesPath] : undefined;
  if (!xml) return [];
  const lines: string[] = [];
  for (const shape of descendants(parseXml(xml), 'p:sp')) {
    // The notes page also holds the slide image and a slide-number placeholder; only the body is the notes.
    if (placeholderType(shape) !== 'body') continue;
    lines.push(...descendants(shape.children, 'a:p').map(paragraphText).filter((line) => line.trim().length > 0));
  }
  return lines;
}

function slidePaths(entries: Entries): string[] {
  const presentation = entries['ppt/presentation.xml'];
  if (!presentation) return [];
  const rels = relationships(entries, 'ppt/presentation.xml');
  return descendants(parseXml(presentation), 'p:sldId')
    .map((slide) => rels.get(slide.attribs['r:id'] ?? '')?.target)
    .filter((path): path is string => path !== undefined && entries[path] !== undefined);
}

/** One page per slide, in presentation order: its title as a heading, its text, then its speaker notes. */
export function pptxToDocument(entries: Entries): ParsedDocument {
  const pages: ParsedPage[] = slidePaths(entries).map((path, index) => {
    const blocks: ParsedBlock[] = [];
    for (const shape of shapeTexts(parseXml(entries[path]!))) {
      if (shape.title) blocks.push({ kind: 'heading', level: 1, text: shape.lines.join(' ') });
      else for (const line of shape.lines) blocks.push({ kind: 'paragraph', text: line });
    }
    const notesPath = [...relationships(entries, path).values()].find((rel) => rel.type.endsWith('/notesSlide'))?.target;
    const notes = notesLines(entries, notesPath);
    // One block that starts "Speaker notes:", not a heading of its own: a line repeated at the foot of every
    // page would be taken for a running footer and removed (running-headers.ts).
    if (notes.length > 0) blocks.push({ kind: 'paragraph', text: `Speaker notes: ${notes.join('\n')}` });
    return { page: index + 1, blocks };
  });
  const firstHeading = pages.flatMap((page) => page.blocks).find((block) => block.kind === 'heading')?.text;
  const title = cleanTitle(metadataTitle(entries['docProps/core.xml'])) ?? cleanTitle(firstHeading);
  return { mime: PPTX, pageCount: pages.length, ...(title === undefined ? {} : { title }), pages };
}
