/**
 * Rendering of the user turn: sources as delimited, escaped data. Escaping
 * `&`, `<` and `>` (and `"` in attributes) means no document, title or
 * question can close or forge a delimiter; verification undoes the entities
 * when a model quotes the escaped form.
 */
export interface RenderableSource {
  n: number;
  title: string;
  page: number | null;
  pageEnd: number | null;
  text: string;
}

/**
 * The system message of a tenant's requests: the tenant line, then the prompt text. It is the
 * provider's cacheable prefix, so it is byte-identical for every request of one tenant, and the
 * tenant id comes first so that no two tenants share a cached prefix (OpenAI caches any common
 * prefix of 1,024 tokens or more: a tenant line at the end would leave the rest shared).
 */
export function systemText(promptText: string, tenantId: string | undefined): string {
  return tenantId === undefined ? promptText : `${tenantLine(tenantId)}${promptText}`;
}

export function tenantLine(tenantId: string): string {
  return `Tenant: ${escapeAttribute(tenantId)}\n\n`;
}

export function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function escapeAttribute(text: string): string {
  return escapeText(text).replace(/"/g, '&quot;').replace(/\s+/g, ' ').trim();
}

function pageAttribute(page: number | null, pageEnd: number | null): string {
  if (page === null) return '';
  return pageEnd !== null && pageEnd !== page ? ` page="${page}-${pageEnd}"` : ` page="${page}"`;
}

/** `<source id="n" title="..." page="p">escaped text</source>` */
export function renderSource(source: RenderableSource): string {
  const attributes = `id="${source.n}" title="${escapeAttribute(source.title)}"${pageAttribute(source.page, source.pageEnd)}`;
  return `<source ${attributes}>\n${escapeText(source.text)}\n</source>`;
}

/** Fills `{{sources}}` and `{{question}}` in one pass, so slot-like text inside a value stays literal. */
export function fillUserTemplate(template: string, slots: { sources: string; question: string }): string {
  return template.replace(/\{\{(sources|question)\}\}/g, (_, name: 'sources' | 'question') => slots[name]);
}
