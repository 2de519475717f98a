// Commands in the Markdown docs (code blocks and inline code): `npm run X` and `npm test|start`
// name a script of the nearest package.json, `npm X` is an npm command, and `fch …` / `npx fch …`
// (also through an npm script that runs bin/fch.js) name a command of fch's help (USAGE in
// support/cli/main.ts) and only flags its usage texts list. Problems come as `file:line: …`.
import { COMMANDS, USAGE } from '../../support/cli/main';
import { codeBlockLines, inlineCode } from './markdown';

export interface FchCommand {
  words: readonly string[];
  flags: ReadonlySet<string>;
}

export interface CommandContext {
  /** The scripts of the package.json nearest to the page ({} when there is none). */
  scripts: Readonly<Record<string, string>>;
  /** Which package.json that is, for the message. */
  packageJson: string;
  /** The repository root's scripts: an example's README also speaks of the harness's own (`npm run check`). */
  rootScripts?: Readonly<Record<string, string>>;
  /** `npm start` runs `node server.js` when there is no start script but a server.js. */
  hasServerJs?: boolean;
  /**
   * The harness is a tool, not a server: in its own pages `npm start|stop|restart` is the team's app's
   * command (how the gate starts it), so it is not looked up in the harness's package.json.
   */
  appLifecycle?: boolean;
  fch: readonly FchCommand[];
}

/** The flags a usage text shows: --long and -s options, not hyphenated words. */
export function flagsOf(usage: string): Set<string> {
  return new Set([...usage.matchAll(/(?<![\w-])(--?[A-Za-z][\w-]*)/g)].map((m) => m[1]));
}

/**
 * fch's commands: those the top-level help (USAGE) lists, each with the flags its USAGE lines show,
 * or, for a command registered in COMMANDS, the flags of its own usage text (plus the ones of a
 * USAGE line naming that command alone, such as `app test --live`).
 */
export function fchCommands(usage = USAGE, detailed = COMMANDS): FchCommand[] {
  const byKey = new Map<string, { words: string[]; flags: Set<string> }>();
  const add = (words: string[], flags: Iterable<string>) => {
    const key = words.join(' ');
    const known = byKey.get(key) ?? { words, flags: new Set<string>() };
    for (const f of flags) known.flags.add(f);
    byKey.set(key, known);
  };
  const own = new Map(detailed.map((c) => [c.words.join(' '), flagsOf(c.usage())]));
  for (const { words, flags } of usageEntries(usage)) {
    const expanded = alternatives(words[words.length - 1]).map((last) => [...words.slice(0, -1), last]);
    for (const w of expanded) {
      const detail = own.get(w.join(' '));
      add(w, detail ? [...detail, ...(expanded.length === 1 ? flags : [])] : flags);
    }
  }
  for (const c of detailed) add([...c.words], own.get(c.words.join(' '))!);
  for (const h of ['--help', '-h']) add([h], []);
  return [...byKey.values()];
}

/** USAGE's command lines (indented two spaces), each with its words and the flags of its lines. */
function usageEntries(usage: string): { words: string[]; flags: Set<string> }[] {
  const entries: { words: string[]; text: string }[] = [];
  for (const line of usage.split('\n')) {
    const m = /^ {2}(\S.*)$/.exec(line);
    if (m) {
      const command = m[1].split(/\s{2,}/)[0];
      const words: string[] = [];
      for (const t of command.split(/\s+/)) {
        if (!/^[a-z][a-z0-9-]*(\|[a-z][a-z0-9-]*)*$/.test(t)) break;
        words.push(t);
      }
      if (words.length) entries.push({ words, text: command });
    } else if (/^ {3,}\S/.test(line) && entries.length) entries[entries.length - 1].text += ` ${line}`;
  }
  return entries.map((e) => ({ words: e.words, flags: flagsOf(e.text) }));
}

// npm's own commands (and aliases) that the docs may use; anything else after `npm` is a mistake
// such as `npm check` for `npm run check`.
const NPM_BUILTINS = new Set(['ci', 'install', 'i', 'add', 'uninstall', 'update', 'pack', 'publish', 'exec', 'init', 'ls', 'view', 'version', 'config', 'cache', 'audit', 'outdated', 'link', 'prune', 'rebuild', 'dedupe', 'explain', 'help', 'whoami', 'login', 'root', 'prefix', 'query', 'sbom']);
const SCRIPT_SHORTCUTS = new Set(['test', 't', 'tst', 'start', 'stop', 'restart']);
const RUN = new Set(['run', 'run-script', 'rr']);

/** Every command in the page, checked: problems as `file:line: …`. */
export function checkCommands(file: string, markdown: string, ctx: CommandContext): string[] {
  return commandTexts(markdown).flatMap(({ line, text }) => checkCommandLine(text, ctx).map((p) => `${file}:${line}: ${p}`));
}

/** The code lines and inline code spans that may hold commands. */
export function commandTexts(markdown: string): { line: number; text: string }[] {
  return [...joinContinuations(codeBlockLines(markdown)), ...inlineCode(markdown)];
}

/** A shell line continued with a trailing backslash is one command, reported at its first line. */
function joinContinuations(lines: { line: number; text: string }[]): { line: number; text: string }[] {
  const out: { line: number; text: string }[] = [];
  let open: { line: number; text: string } | undefined;
  for (const l of lines) {
    const text = open ? `${open.text} ${l.text.trim()}` : l.text;
    const start = open?.line ?? l.line;
    if (/\\\s*$/.test(text)) open = { line: start, text: text.replace(/\\\s*$/, '') };
    else (out.push({ line: start, text }), (open = undefined));
  }
  if (open) out.push(open);
  return out;
}

/** The problems of one line of shell (or one inline code span). */
export function checkCommandLine(text: string, ctx: CommandContext): string[] {
  if (/^\s*#/.test(text)) return []; // a comment, or output shown after a command
  const body = text.replace(/\s#\s.*$/, '');
  return body.split(/&&|\|\||;/).flatMap((segment) => checkSegment(tokenize(segment), ctx));
}

function checkSegment(tokens: string[], ctx: CommandContext): string[] {
  let i = 0;
  // Environment assignments, a YAML list item's `- run:`, a prompt.
  while (i < tokens.length && (/^[A-Za-z_][A-Za-z0-9_]*=/.test(tokens[i]) || ['-', 'run:', '$'].includes(tokens[i]))) i++;
  const [head, ...rest] = tokens.slice(i);
  if (head === 'fch') return checkFch(rest, ctx);
  if (head === 'node' && rest[0] && /(^|\/)bin\/fch\.js$/.test(rest[0])) return checkFch(rest.slice(1), ctx);
  if (head === 'npx') {
    let j = 0;
    while (rest[j]?.startsWith('-')) j++; // npx's own options (--no-install, -y)
    return rest[j] === 'fch' ? checkFch(rest.slice(j + 1), ctx) : [];
  }
  if (head === 'npm') return checkNpm(rest, ctx);
  return [];
}

function checkNpm(args: string[], ctx: CommandContext): string[] {
  const [sub, ...rest] = args;
  if (sub === undefined || sub.startsWith('-') || sub.startsWith('<')) return [];
  if (RUN.has(sub)) {
    const script = rest[0];
    if (script === undefined || script.startsWith('-') || script.startsWith('<')) return [];
    if (!hasScript(script, ctx)) return [`npm run ${script}: no script "${script}" in ${ctx.packageJson}`];
    return checkScriptArgs(script, rest.slice(1), ctx);
  }
  if (SCRIPT_SHORTCUTS.has(sub)) {
    const script = { t: 'test', tst: 'test' }[sub] ?? sub;
    const lifecycle = script === 'start' || script === 'stop' || script === 'restart';
    if (lifecycle && ctx.appLifecycle) return [];
    if (!hasScript(script, ctx) && !(script === 'start' && ctx.hasServerJs)) return [`npm ${sub}: no script "${script}" in ${ctx.packageJson}`];
    return checkScriptArgs(script, rest, ctx);
  }
  if (NPM_BUILTINS.has(sub)) return [];
  return [`npm ${sub}: not an npm command${sub in ctx.scripts ? `; the script runs with npm run ${sub}` : ''}`];
}

const hasScript = (script: string, ctx: CommandContext) => script in ctx.scripts || script in (ctx.rootScripts ?? {});
const scriptOf = (script: string, ctx: CommandContext) => ctx.scripts[script] ?? ctx.rootScripts?.[script] ?? '';

/** Arguments after `--` go to the script; for a script that runs fch they are fch's arguments. */
function checkScriptArgs(script: string, args: string[], ctx: CommandContext): string[] {
  const m = /^(?:node\s+(?:\.\/)?bin\/fch\.js|fch)(?:\s+(.*))?$/.exec(scriptOf(script, ctx).trim());
  if (!m) return [];
  const passed = args[0] === '--' ? args.slice(1) : [];
  return checkFch([...tokenize(m[1] ?? ''), ...passed], ctx).map((p) => `${p} (through npm run ${script})`);
}

function checkFch(raw: string[], ctx: CommandContext): string[] {
  // Usage-style text in the docs: [--flag], (a|b), `x,`, ellipses and placeholders.
  const tokens = raw.map((t) => t.replace(/^[[(]+|[\]),]+$/g, '')).filter((t) => t !== '' && t !== '|' && !/^(…|\.\.\.)$/.test(t));
  // The command's words, one level at a time (`app live setup|doctor` is three), then its arguments.
  let matched = [...ctx.fch];
  let depth = 0;
  for (; depth < tokens.length; depth++) {
    const token = tokens[depth];
    const deeper = matched.filter((c) => c.words.length > depth);
    if (deeper.length === 0 || token.includes('<') || (token.startsWith('-') && !deeper.some((c) => c.words[depth] === token))) break;
    const prefix = tokens.slice(0, depth).join(' ');
    const missing = alternatives(token).filter((w) => !deeper.some((c) => c.words[depth] === w));
    if (missing.length) return missing.map((w) => `fch ${prefix ? `${prefix} ` : ''}${w}: no such command (${unique(deeper.map((c) => c.words[depth])).join(', ')})`);
    matched = deeper.filter((c) => alternatives(token).includes(c.words[depth]));
  }
  if (depth === 0) return [];
  const allowed = new Set(matched.flatMap((c) => [...c.flags]));
  const name = `fch ${tokens.slice(0, depth).join(' ')}`;
  const problems: string[] = [];
  for (const t of tokens.slice(depth)) {
    const flag = t.split('=')[0];
    if (!/^--?[A-Za-z]/.test(flag) || allowed.has(flag)) continue;
    problems.push(`${name}: no option ${flag} (its usage shows ${[...allowed].join(', ') || 'none'})`);
  }
  return problems;
}

const alternatives = (word: string) => word.split('|').filter(Boolean);
const unique = (xs: string[]) => [...new Set(xs)];

/** Whitespace-separated words, with '…' and "…" kept whole (their quotes dropped). */
export function tokenize(text: string): string[] {
  const tokens: string[] = [];
  for (const m of text.matchAll(/(?:[^\s'"]+|'[^']*'|"[^"]*")+/g)) tokens.push(m[0].replace(/'([^']*)'|"([^"]*)"/g, '$1$2'));
  return tokens;
}
