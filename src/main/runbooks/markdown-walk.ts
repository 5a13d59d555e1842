import type { MarkdownIt, Token } from 'markdown-it';
import type { CalloutKind } from '../../shared/runbook';
import { markdownParser } from '../drivers';

/** What the importer reads from the markdown, in document order; lines are 1-based. */
export type MarkdownItem =
  | { type: 'heading'; line: number; level: number; text: string }
  | { type: 'fence'; line: number; info: string; text: string; contentLine: number }
  | { type: 'checklist'; line: number; text: string; checked: boolean }
  | { type: 'table'; line: number; header: string[]; rows: string[][] }
  | { type: 'callout'; line: number; kind: CalloutKind; markdown: string }
  | { type: 'prose'; line: number; markdown: string };

let markdown: MarkdownIt | undefined;
/** Made on the first runbook read: a command that reads none does not load markdown-it. */
function blockParser(): MarkdownIt {
  if (markdown) return markdown;
  markdown = new (markdownParser())('default', { html: true, linkify: false });
  // The importer reads block structure and each inline token's source text, never inline children
  // (links, emphasis): skipping the inline pass halves the parse time.
  markdown.core.ruler.disable(['inline', 'linkify', 'replacements', 'smartquotes', 'text_join'], true);
  return markdown;
}

const calloutStart = /^(?:\[!(NOTE|TIP|IMPORTANT|WARNING|CAUTION)\]|\*{0,2}(note|tip|important|warning|caution|danger|attention)\*{0,2}\s*:?|:warning:|⚠️?)/i;

/** Parses CommonMark + GFM tables with markdown-it and flattens what a runbook panel needs. */
export function walkMarkdown(body: string): MarkdownItem[] {
  const tokens = blockParser().parse(body, {});
  const lines = body.split('\n');
  const items: MarkdownItem[] = [];
  const claimed = new Uint8Array(lines.length + 1);
  const claim = (from: number, to: number) => claimed.fill(1, from, to);
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    const map = token.map;
    if (!map) continue;
    if (token.type === 'heading_open' && token.level === 0) {
      items.push({ type: 'heading', line: map[0] + 1, level: Number(token.tag.slice(1)), text: tokens[i + 1]?.content.trim() ?? '' });
      claim(map[0], map[1]);
    } else if (token.type === 'fence' || token.type === 'code_block') {
      const contentLine = token.type === 'fence' ? map[0] + 2 : map[0] + 1;
      items.push({ type: 'fence', line: map[0] + 1, info: token.info ?? '', text: token.content.replace(/\n$/, ''), contentLine });
      claim(map[0], map[1]);
    } else if (token.type === 'table_open') {
      i = readTable(tokens, i, items);
      claim(map[0], map[1]);
    } else if (token.type === 'list_item_open') {
      const inline = tokens[i + 2];
      const box = inline?.type === 'inline' ? /^\[([ xX])\]\s+/.exec(inline.content) : null;
      if (box && inline?.map) {
        items.push({ type: 'checklist', line: map[0] + 1, text: inline.content.slice(box[0].length).trim(), checked: box[1] !== ' ' });
        claim(inline.map[0], inline.map[1]);
      }
    } else if ((token.type === 'blockquote_open' || token.type === 'paragraph_open') && token.level === 0) {
      const end = closingIndex(tokens, i);
      const firstInline = tokens.slice(i, end).find((t) => t.type === 'inline');
      const kind = calloutKind(firstInline?.content ?? '');
      if (kind && !tokens.slice(i, end).some((t) => t.type === 'fence')) {
        const text = lines.slice(map[0], map[1]).map((l) => l.replace(/^\s*>\s?/, '')).join('\n').trim();
        items.push({ type: 'callout', line: map[0] + 1, kind, markdown: text });
        claim(map[0], map[1]);
      }
    }
  }
  addProse(tokens, lines, claimed, items);
  return items.sort((a, b) => a.line - b.line);
}

function calloutKind(text: string): CalloutKind | null {
  const m = calloutStart.exec(text.trim());
  if (!m) return null;
  const word = (m[1] ?? m[2] ?? 'warning').toLowerCase();
  if (word === 'danger' || word === 'attention') return 'warning';
  return word as CalloutKind;
}

function closingIndex(tokens: Token[], open: number): number {
  const level = tokens[open]!.level;
  for (let j = open + 1; j < tokens.length; j++) if (tokens[j]!.level === level && tokens[j]!.nesting === -1) return j;
  return tokens.length;
}

function readTable(tokens: Token[], open: number, items: MarkdownItem[]): number {
  const header: string[] = [];
  const rows: string[][] = [];
  let row: string[] | null = null;
  let inHead = false;
  let j = open + 1;
  for (; j < tokens.length && tokens[j]!.type !== 'table_close'; j++) {
    const t = tokens[j]!;
    if (t.type === 'thead_open') inHead = true;
    else if (t.type === 'thead_close') inHead = false;
    else if (t.type === 'tr_open') row = [];
    else if (t.type === 'tr_close' && row) inHead ? header.push(...row) : rows.push(row);
    else if (t.type === 'inline' && row) row.push(t.content.trim());
  }
  items.push({ type: 'table', line: tokens[open]!.map![0] + 1, header, rows });
  return j;
}

/** Top-level blocks not claimed by headings, fences, tables, checklists or callouts: prose for display. */
function addProse(tokens: Token[], lines: string[], claimed: Uint8Array, items: MarkdownItem[]): void {
  for (const token of tokens) {
    if (token.level !== 0 || token.nesting === -1 || !token.map) continue;
    let runStart = -1;
    for (let line = token.map[0]; line <= token.map[1]; line++) {
      const free = line < token.map[1] && !claimed[line];
      if (free && runStart < 0) runStart = line;
      if (!free && runStart >= 0) {
        const text = lines.slice(runStart, line).join('\n').trim();
        if (text) items.push({ type: 'prose', line: runStart + 1, markdown: text });
        runStart = -1;
      }
    }
  }
}
