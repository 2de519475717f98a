// The command catalog as text: attributes read from the zod schemas (so the list can never drift
// from what the validator enforces) joined with the catalog's rules, webhooks and open points.
// `fch percl commands` prints it; test/percl-catalog.test.ts keeps docs/percl-commands.md current.
import type { z } from 'zod';
import { COMMANDS, COMMAND_NAMES, LEGACY_ATTRIBUTES, type CommandName } from '../schemas/percl';
import { PERCL_CATALOG } from './catalog';

export interface AttributeInfo {
  name: string;
  required: boolean;
  type: string;
}

type Def = { type: string; format?: string; entries?: Record<string, string>; checks?: { _zod: { def: Record<string, unknown> } }[]; innerType?: Schema; shape?: Record<string, Schema>; options?: Schema[]; element?: Schema };
type Schema = { _zod: { def: Def } };

/** One attribute's type in words: `URL`, `integer ≥ 0`, `"URL" | "BUILTIN"`, … */
function typeOf(schema: Schema): string {
  const def = schema._zod.def;
  const checks = (def.checks ?? []).map((c) => c._zod.def);
  const bounds = checks
    .map((c) => {
      if (c.check === 'greater_than') return `≥ ${c.value}`.replace('≥', c.inclusive ? '≥' : '>');
      if (c.check === 'less_than') return `≤ ${c.value}`.replace('≤', c.inclusive ? '≤' : '<');
      if (c.check === 'min_length') return `length ≥ ${c.minimum}`;
      if (c.check === 'max_length') return `length ≤ ${c.maximum}`;
      if (c.check === 'string_format' && c.format === 'starts_with') return `starts with ${c.prefix}`;
      if (c.check === 'string_format' && c.format === 'regex') return `matches ${String(c.pattern)}`;
      return undefined;
    })
    .filter(Boolean);
  const integer = checks.some((c) => c.check === 'number_format');
  let base: string;
  switch (def.type) {
    case 'string':
      base = def.format === 'url' ? 'URL' : 'string';
      break;
    case 'number':
      base = integer ? 'integer' : 'number';
      break;
    case 'enum':
      base = Object.values(def.entries ?? {}).map((v) => JSON.stringify(v)).join(' | ');
      break;
    case 'array':
      base = 'array of commands';
      break;
    case 'object':
      base = `{ ${Object.entries(def.shape ?? {}).map(([k, v]) => `${k}${isOptional(v) ? '?' : ''}: ${typeOf(unwrap(v))}`).join(', ')} }`;
      break;
    case 'union':
      base = (def.options ?? []).map(typeOf).join(' or ');
      break;
    default:
      base = def.type;
  }
  return [base, ...bounds].join(', ');
}

const isOptional = (s: Schema) => s._zod.def.type === 'optional';
const unwrap = (s: Schema): Schema => (isOptional(s) ? unwrap(s._zod.def.innerType as Schema) : s);

export function attributesOf(name: CommandName): AttributeInfo[] {
  const shape = (COMMANDS[name] as unknown as z.ZodObject).shape as unknown as Record<string, Schema>;
  return Object.entries(shape).map(([attr, schema]) => ({ name: attr, required: !isOptional(schema), type: typeOf(unwrap(schema)) }));
}

/** Markdown: one section per command. */
export function catalogMarkdown(): string {
  const lines = [
    '# PerCL commands the harness validates',
    '',
    'Generated from support/schemas/percl*.ts and support/percl/catalog.ts by `fch percl commands`; do not edit by hand.',
    '',
  ];
  for (const name of COMMAND_NAMES) {
    const entry = PERCL_CATALOG[name];
    const summary = entry.summary[0].toUpperCase() + entry.summary.slice(1);
    lines.push(`## ${name}`, '', `${summary}. ${entry.terminal ? 'Terminal: nothing after it in the script runs.' : 'Not terminal.'}${entry.holdsPrompts ? ' Its `prompts` hold Say, Play and Pause only.' : ''}`, '');
    const attrs = attributesOf(name);
    if (attrs.length === 0) lines.push('No attributes.', '');
    else {
      lines.push('| attribute | required | type |', '|---|---|---|');
      for (const a of attrs) lines.push(`| \`${a.name}\` | ${a.required ? 'yes' : ''} | ${a.type.replace(/\|/g, '\\|')} |`);
      lines.push('');
    }
    const legacy = LEGACY_ATTRIBUTES[name] ?? [];
    if (legacy.length) lines.push(`Legacy attributes (accepted with a warning): ${legacy.map((l) => `\`${l}\``).join(', ')}.`, '');
    const list = (title: string, items: string[]) => {
      if (items.length) lines.push(`${title}:`, ...items.map((i) => `- ${i}`), '');
    };
    list('Rules', entry.rules);
    list('Webhooks', entry.webhooks);
    list('Left open by the docs', entry.open);
    lines.push(`Simulator: ${entry.simulator}.`, '', `Proven by: ${entry.provenBy.join(', ') || 'no unit test names it (its schema and the shared validator rules only)'}.`, '');
    lines.push(`Source: ${entry.source}.${entry.sdk213 ? ` SDK 2.1.3 builder: \`percl.${entry.sdk213}\`.` : ' No SDK 2.1.3 builder.'}`, '');
  }
  return lines.join('\n');
}
