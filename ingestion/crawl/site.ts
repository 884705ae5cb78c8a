import { getDomain } from 'tldts';

/**
 * The site a URL belongs to: its registrable domain (eTLD+1 from the public suffix list, private suffixes such as
 * github.io included, so two users' pages there are two sites), or the host itself for an IP address or a single
 * label name. Redirects and sitemap entries are followed only within the source's site.
 */
export function siteOf(url: URL): string {
  const host = url.hostname.toLowerCase();
  return getDomain(host, { allowPrivateDomains: true }) ?? host;
}

export function sameSite(a: URL, b: URL): boolean {
  return siteOf(a) === siteOf(b);
}

/**
 * Whether `text` matches a glob whose `*` is any run of characters (everything else literal, anchored at both
 * ends). The classic greedy wildcard match with one backtrack point: O(text × glob) at worst, where a regular
 * expression with several `.*` can backtrack exponentially on a hostile pattern.
 */
export function globMatches(glob: string, text: string): boolean {
  let g = 0;
  let t = 0;
  let star = -1;
  let resume = 0;
  while (t < text.length) {
    if (g < glob.length && glob[g] !== '*' && glob[g] === text[t]) {
      g += 1;
      t += 1;
    } else if (g < glob.length && glob[g] === '*') {
      star = g;
      resume = t;
      g += 1;
    } else if (star >= 0) {
      g = star + 1;
      resume += 1;
      t = resume;
    } else return false;
  }
  while (g < glob.length && glob[g] === '*') g += 1;
  return g === glob.length;
}

export interface UrlFilter {
  include: readonly string[];
  exclude: readonly string[];
}

/** Whether a page is in the source: it matches an include glob (or none are set) and no exclude glob. */
export function compileFilter(filter: UrlFilter): (url: URL) => boolean {
  return (url) => {
    const target = `${url.pathname}${url.search}`;
    const included = filter.include.length === 0 || filter.include.some((glob) => globMatches(glob, target));
    return included && !filter.exclude.some((glob) => globMatches(glob, target));
  };
}

/** The key a page is stored under: the URL without its fragment (a fragment never reaches the server). */
export function pageKey(url: URL): string {
  const copy = new URL(url);
  copy.hash = '';
  return copy.href;
}
