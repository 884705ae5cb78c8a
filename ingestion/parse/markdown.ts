import type { Nodes, PhrasingContent, RootContent } from 'mdast';
import { fromMarkdown } from 'mdast-util-from-markdown';
import { htmlToBlocks } from './html';
import { decodeText } from './text';
import type { ParsedBlock, ParsedDocument } from './types';

// YAML front matter is not CommonMark; without stripping it would parse as a rule and a setext heading.
const FRONT_MATTER = /^---[ \t]*\n([\s\S]*?)\n(?:---|\.\.\.)[ \t]*(?:\n|$)/u;

function splitFrontMatter(source: string): { body: string; title: string | undefined } {
  const match = FRONT_MATTER.exec(source);
  if (!match) return { body: source, title: undefined };
  const title = /^title:[ \t]*(.+)$/mu.exec(match[1] ?? '')?.[1]?.trim().replace(/^(['"])(.*)\1$/u, '$2');
  return { body: source.slice(match[0].length), title: title && title.length > 0 ? title : undefined };
}

/** Markdown inline content as plain text: link and emphasis text kept, syntax dropped. */
function phrasingText(nodes: readonly PhrasingContent[]): string {
  let text = '';
  for (const node of nodes) {
    switch (node.type) {
      case 'text':
      case 'inlineCode':
        text += node.value;
        break;
      case 'break':
        text += '\n';
        break;
      case 'image':
      case 'imageReference':
        text += node.alt ?? '';
        break;
      case 'html':
      case 'footnoteReference':
        break;
      default:
        if ('children' in node) text += phrasingText(node.children);
    }
  }
  return text;
}

function collectBlocks(nodes: readonly RootContent[], blocks: ParsedBlock[]): void {
  for (const node of nodes) {
    switch (node.type) {
      case 'heading':
        blocks.push({ kind: 'heading', text: phrasingText(node.children), level: node.depth });
        break;
      case 'paragraph':
        blocks.push({ kind: 'paragraph', text: phrasingText(node.children) });
        break;
      case 'code':
        blocks.push({ kind: 'paragraph', text: node.value });
        break;
      case 'html':
        blocks.push(...htmlToBlocks(node.value).blocks);
        break;
      default:
        if ('children' in node) collectBlocks(node.children as RootContent[], blocks);
    }
  }
}

function firstTopHeading(tree: Nodes): string | undefined {
  if (!('children' in tree)) return undefined;
  for (const node of tree.children) if (node.type === 'heading' && node.depth === 1) return phrasingText(node.children).trim() || undefined;
  return undefined;
}

export function parseMarkdown(bytes: Uint8Array): ParsedDocument {
  const { body, title: frontTitle } = splitFrontMatter(decodeText(bytes));
  const tree = fromMarkdown(body);
  const blocks: ParsedBlock[] = [];
  collectBlocks(tree.children, blocks);
  const title = frontTitle ?? firstTopHeading(tree);
  return {
    mime: 'text/markdown',
    pageCount: null,
    ...(title === undefined ? {} : { title }),
    pages: [{ page: null, blocks: blocks.filter((block) => block.text.trim().length > 0) }],
  };
}
