// The little Markdown reading the docs checks need: where code is (fenced blocks and inline spans),
// and the anchors GitHub gives headings. Deliberately not a full parser: the checks only need to
// know what is prose, what is code, and which line something is on.

/** Line number (1-based) of a character offset. */
export function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text[i] === '\n') line++;
  return line;
}

export interface CodeLine {
  line: number;
  text: string;
}

const FENCE = /^\s{0,3}(```+|~~~+)/;

/** The lines of fenced code blocks, with their line numbers. */
export function codeBlockLines(markdown: string): CodeLine[] {
  const out: CodeLine[] = [];
  let fence: string | undefined;
  markdown.split('\n').forEach((text, i) => {
    const m = FENCE.exec(text);
    if (fence === undefined) {
      if (m) fence = m[1];
    } else if (m && m[1][0] === fence[0] && m[1].length >= fence.length && text.trim() === m[1]) fence = undefined;
    else out.push({ line: i + 1, text });
  });
  return out;
}

/** The text with fenced blocks blanked (line breaks kept), so offsets and line numbers still hold. */
export function withoutFences(markdown: string): string {
  const inside = new Set(codeBlockLines(markdown).map((l) => l.line));
  return markdown
    .split('\n')
    .map((text, i) => (inside.has(i + 1) || FENCE.test(text) ? ' '.repeat(text.length) : text))
    .join('\n');
}

// An inline code span: a run of backticks, then anything but a blank line, then the same run.
const INLINE = /(`+)((?:(?!\n\s*\n)[\s\S])+?)\1/g;

/** Inline code spans outside fenced blocks (they may wrap a line), with the line they start on. */
export function inlineCode(markdown: string): CodeLine[] {
  const prose = withoutFences(markdown);
  return [...prose.matchAll(INLINE)].map((m) => ({ line: lineAt(prose, m.index), text: m[2].replace(/\s*\n\s*/g, ' ').trim() }));
}

/** Prose only: fenced blocks and inline code blanked, so links inside code are not read as links. */
export function proseOnly(markdown: string): string {
  return withoutFences(markdown).replace(INLINE, (span) => span.replace(/[^\n]/g, ' '));
}

/**
 * GitHub's heading anchors: the rendered text, lowercased, with everything but letters, digits,
 * marks, underscores, spaces and hyphens removed, spaces turned into hyphens; a repeated anchor
 * gets -1, -2, … Explicit `<a name>` / `id` anchors count too.
 */
export function headingAnchors(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  const prose = withoutFences(markdown);
  for (const m of prose.matchAll(/^\s{0,3}#{1,6}\s+(.*?)(?:\s+#+)?\s*$/gm)) {
    const base = slug(m[1]);
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    anchors.add(n === 0 ? base : `${base}-${n}`);
  }
  for (const m of prose.matchAll(/<a\s[^>]*(?:name|id)="([^"]+)"/g)) anchors.add(m[1]);
  return anchors;
}

export function slug(heading: string): string {
  const text = heading
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1') // a link or image: its text
    .replace(/<[^>]+>/g, '') // inline HTML tags
    .replace(/`/g, '');
  return text
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
    .replace(/ /g, '-');
}
