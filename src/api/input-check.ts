const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const isWellFormed = (text: string): boolean => !LONE_SURROGATE.test(text);

/** Deeper than any request body of the API (the deepest, a search filter, nests 3 levels). */
export const MAX_INPUT_DEPTH = 32;

/**
 * Where a parsed request input breaks what every route relies on, or undefined:
 * U+0000 in any string or key (PostgreSQL text and jsonb cannot hold it, so it
 * would surface as a database error, a 500), an unpaired UTF-16 surrogate (a JSON
 * "\\udc00" escape; it has no UTF-8 form, and PGlite fails the query with
 * "invalid byte sequence"), or nesting beyond MAX_INPUT_DEPTH
 * (recursive code downstream, e.g. the idempotency hash's JSON.stringify,
 * overflows the stack on a few thousand levels). Iterative, so the check itself
 * cannot overflow.
 */
export function inputProblem(input: unknown, where: string): string | undefined {
  const stack: { value: unknown; path: string; depth: number }[] = [{ value: input, path: where, depth: 0 }];
  while (stack.length > 0) {
    const { value, path, depth } = stack.pop()!;
    if (typeof value === 'string') {
      if (value.includes('\u0000')) return `${path} contains the NUL character (U+0000)`;
      if (!isWellFormed(value)) return `${path} contains an unpaired surrogate (not valid Unicode)`;
      continue;
    }
    if (typeof value !== 'object' || value === null) continue;
    if (depth >= MAX_INPUT_DEPTH) return `${path} nests deeper than ${MAX_INPUT_DEPTH} levels`;
    for (const [key, child] of Object.entries(value)) {
      if (key.includes('\u0000') || !isWellFormed(key)) return `${path} has a key with the NUL character or an unpaired surrogate`;
      stack.push({ value: child, path: Array.isArray(value) ? `${path}[${key}]` : `${path}.${key.slice(0, 50)}`, depth: depth + 1 });
    }
  }
  return undefined;
}
