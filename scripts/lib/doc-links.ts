// Relative links and anchors in the Markdown docs: every target file exists, and every #anchor is
// a heading of its page (GitHub's anchors). External links are not fetched: the check runs offline.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { headingAnchors, lineAt, proseOnly } from './markdown';

export interface Link {
  line: number;
  target: string;
}

/** Inline links and images, reference definitions and HTML href/src, outside code. */
export function linksIn(markdown: string): Link[] {
  const prose = proseOnly(markdown);
  const found: { index: number; target: string }[] = [];
  for (const m of prose.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+["'(][^)]*)?\)/g)) found.push({ index: m.index, target: m[1] });
  for (const m of prose.matchAll(/^\s{0,3}\[[^\]]+\]:\s*<?([^\s>]+)>?/gm)) found.push({ index: m.index, target: m[1] });
  for (const m of prose.matchAll(/\s(?:href|src)="([^"]+)"/g)) found.push({ index: m.index, target: m[1] });
  return found.sort((a, b) => a.index - b.index).map((f) => ({ line: lineAt(prose, f.index), target: f.target }));
}

const EXTERNAL = /^(?:[a-z][a-z0-9+.-]*:|\/\/)/i;

/**
 * Problems as `file:line: …`. `file` is relative to `root`; a target starting with / is taken from
 * the repository root, as GitHub does.
 */
export function checkLinks(file: string, markdown: string, root: string): string[] {
  const problems: string[] = [];
  const here = resolve(root, file);
  const anchorsOf = new Map<string, Set<string>>();
  const anchors = (path: string) => {
    if (!anchorsOf.has(path)) anchorsOf.set(path, headingAnchors((path === here ? markdown : readIfFile(path)) ?? ''));
    return anchorsOf.get(path)!;
  };
  for (const { line, target } of linksIn(markdown)) {
    if (EXTERNAL.test(target)) continue;
    const hash = target.indexOf('#');
    const pathPart = safeDecode(hash < 0 ? target : target.slice(0, hash));
    const anchor = hash < 0 ? undefined : safeDecode(target.slice(hash + 1));
    const path = pathPart === '' ? here : pathPart.startsWith('/') ? join(root, pathPart) : resolve(dirname(here), pathPart);
    const where = `${file}:${line}`;
    if (path !== here && !existsSync(path)) {
      problems.push(`${where}: broken link ${target}: ${relative(root, path) || '.'} does not exist`);
      continue;
    }
    // Anchors are checked on Markdown pages only (a #L10 into a source file is GitHub's line link).
    if (anchor === undefined || anchor === '' || !/\.md$/i.test(path)) continue;
    if (!anchors(path).has(anchor)) problems.push(`${where}: broken anchor ${target}: no heading "#${anchor}" in ${relative(root, path)}`);
  }
  return problems;
}

function readIfFile(path: string): string | undefined {
  try {
    return statSync(path).isFile() ? readFileSync(path, 'utf8') : undefined;
  } catch {
    return undefined;
  }
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
