import { countTokensLinear } from '../token-count';
import type { ParsedBlock } from './types';

export interface SheetRow {
  /** The row's number as the spreadsheet shows it (1-based). */
  n: number;
  cells: string[];
}

export interface Sheet {
  name: string;
  rows: SheetRow[];
}

/**
 * Tokens of rows per section: with its heading and header row a section stays under the default chunker's
 * target (400), so it is one chunk and its heading's row range is exactly the chunk's rows. (Characters were
 * no measure: cells of numbers and codes run near two characters a token.)
 */
export const ROWS_SECTION_TOKENS = 250;

function rowLine(cells: readonly string[]): string {
  let end = cells.length;
  while (end > 0 && cells[end - 1]!.length === 0) end -= 1;
  return cells.slice(0, end).map((cell) => cell.replace(/\s+/gu, ' ')).join(' | ');
}

/** "Prices, rows 2–21": what a citation of the section shows (its heading path). */
export function rowsHeading(sheet: string | undefined, first: number, last: number): string {
  const rows = first === last ? `row ${first}` : `rows ${first}–${last}`;
  return sheet ? `${sheet}, ${rows}` : rows;
}

/**
 * A sheet as sections of rows, each opening with a top-level heading that names the sheet and the row range
 * and repeating the sheet's header row (its first non-empty row), so every chunk reads on its own and its
 * citation says where it came from. Headings are top level so the chunker never packs two sections together.
 */
export function sheetBlocks(sheet: Sheet, options: { named: boolean; sectionTokens?: number }): ParsedBlock[] {
  const budget = (options.sectionTokens ?? ROWS_SECTION_TOKENS) - countTokensLinear(sheet.rows[0]?.cells.join(' | ') ?? '');
  const rows = sheet.rows.map((row) => ({ n: row.n, line: rowLine(row.cells) })).filter((row) => row.line.replace(/[|\s]/gu, '').length > 0);
  const name = options.named ? sheet.name : undefined;
  const [header, ...body] = rows;
  if (!header) return [];
  if (body.length === 0) return [{ kind: 'heading', level: 1, text: rowsHeading(name, header.n, header.n) }, { kind: 'paragraph', text: header.line }];
  const blocks: ParsedBlock[] = [];
  let section: typeof body = [];
  let size = 0;
  const close = (): void => {
    if (section.length === 0) return;
    blocks.push({ kind: 'heading', level: 1, text: rowsHeading(name, section[0]!.n, section[section.length - 1]!.n) });
    blocks.push({ kind: 'paragraph', text: header.line });
    for (const row of section) blocks.push({ kind: 'paragraph', text: row.line });
    section = [];
    size = 0;
  };
  for (const row of body) {
    const tokens = countTokensLinear(row.line) + 1;
    if (section.length > 0 && size + tokens > budget) close();
    section.push(row);
    size += tokens;
  }
  close();
  return blocks;
}
