import { htmlToBlocks } from './html';
import { cleanTitle } from './pdf';
import type { ParsedBlock, ParsedDocument } from './types';
import { descendants, firstDescendant, metadataTitle, parseXml } from './xml';

type Entries = Record<string, string>;

function resolve(base: string, href: string): string {
  const parts = (base + decodeURIComponent(href.split('#')[0] ?? '')).split('/');
  const out: string[] = [];
  for (const part of parts) {
    if (part === '..') out.pop();
    else if (part !== '.' && part !== '') out.push(part);
  }
  return out.join('/');
}

/** The chapters in reading order (the OPF spine), each as the blocks of its XHTML. Throws on a missing package document. */
export function epubToDocument(entries: Entries): ParsedDocument {
  const container = entries['META-INF/container.xml'];
  const opfPath = container ? firstDescendant(parseXml(container), 'rootfile')?.attribs['full-path'] : undefined;
  const opf = opfPath ? entries[opfPath] : undefined;
  if (!opfPath || !opf) throw Object.assign(new Error('the EPUB has no package document (META-INF/container.xml → .opf)'), { code: 'CORRUPT' });
  const base = opfPath.slice(0, opfPath.lastIndexOf('/') + 1);
  const tree = parseXml(opf);
  const manifest = new Map(descendants(tree, 'item').concat(descendants(tree, 'opf:item')).map((item) => [item.attribs.id ?? '', item.attribs.href ?? '']));
  const spine = descendants(tree, 'itemref').concat(descendants(tree, 'opf:itemref'));
  const blocks: ParsedBlock[] = [];
  for (const ref of spine) {
    const href = manifest.get(ref.attribs.idref ?? '');
    const xhtml = href ? entries[resolve(base, href)] : undefined;
    if (xhtml) blocks.push(...htmlToBlocks(xhtml).blocks);
  }
  const dcTitle = metadataTitle(opf.replace(/<(\/?)(?:opf:)?title\b/giu, '<$1dc:title').replace(/<(\/?)dc:dc:title/giu, '<$1dc:title'));
  const heading = blocks.find((block) => block.kind === 'heading')?.text;
  const title = cleanTitle(dcTitle) ?? cleanTitle(heading);
  return { mime: 'application/epub+zip', pageCount: null, ...(title === undefined ? {} : { title }), pages: [{ page: null, blocks }] };
}
