import type { ChildNode, Element } from 'domhandler';
import { ElementType, parseDocument } from 'htmlparser2';

/** XML parsed the way the Office readers walk it: elements by qualified name ("a:p", "text:h"). */
export function parseXml(xml: string): ChildNode[] {
  return parseDocument(xml, { xmlMode: true, decodeEntities: true }).children;
}

export function isElement(node: ChildNode): node is Element {
  return ElementType.isTag(node);
}

export function childElements(node: { children: ChildNode[] }, name?: string): Element[] {
  return node.children.filter((child): child is Element => isElement(child) && (name === undefined || child.name === name));
}

/** Every descendant element named `name`, in document order. */
export function descendants(nodes: readonly ChildNode[], name: string): Element[] {
  const found: Element[] = [];
  const walk = (list: readonly ChildNode[]): void => {
    for (const node of list) {
      if (!isElement(node)) continue;
      if (node.name === name) found.push(node);
      walk(node.children);
    }
  };
  walk(nodes);
  return found;
}

export function firstDescendant(nodes: readonly ChildNode[], name: string): Element | undefined {
  return descendants(nodes, name)[0];
}

/** Concatenated text of a subtree (entities already decoded). */
export function textOf(nodes: readonly ChildNode[]): string {
  let text = '';
  for (const node of nodes) {
    if (node.type === ElementType.Text) text += node.data;
    else if (isElement(node)) text += textOf(node.children);
  }
  return text;
}

/** `dc:title` of an Office core.xml or an OpenDocument meta.xml. */
export function metadataTitle(xml: string | undefined): string | undefined {
  if (!xml) return undefined;
  const title = firstDescendant(parseXml(xml), 'dc:title');
  const text = title ? textOf(title.children).replace(/\s+/gu, ' ').trim() : '';
  return text.length > 0 ? text : undefined;
}
