// docs/configuration.md, rendered from the zod schemas (support/config.ts, and the live app gate's
// support/app-gate/live/live-config.ts: the variables, their valid values and defaults) and the
// records beside them (support/config-docs.ts: meaning, default text, who reads it), and the
// comparison the `docs` stage of `npm run check` makes against the committed page.
import type { z } from 'zod';
import { MODES, MODE_SCHEMAS, SECRET_VARIABLES, VARIABLES, type ConfigVariable } from '../../support/config';
import { READERS, VARIABLE_DOCS, type VariableDoc } from '../../support/config-docs';
import { APP_LIVE_VARIABLE_DOCS, AppLiveEnv } from '../../support/app-gate/live/live-config';

export const CONFIG_PAGE = 'docs/configuration.md';
export const REGENERATE = 'npm run docs:config';

type Mode = keyof typeof MODE_SCHEMAS;
// zod 4 keeps a schema's kind and parts in `def`; only the wrappers the config schema uses are read.
type Def = { type: string; innerType?: z.ZodType; defaultValue?: unknown; values?: unknown[]; entries?: Record<string, string> };
const defOf = (schema: z.ZodType) => (schema as unknown as { def: Def }).def;

function fieldOf(mode: Mode, name: ConfigVariable): z.ZodType | undefined {
  return (MODE_SCHEMAS[mode].shape as Record<string, z.ZodType>)[name];
}

/** What a mode's schema says about the variable: its default (or required/unset) and valid values. */
function describeField(mode: Mode, name: ConfigVariable): { default: string; values: string } {
  const schema = fieldOf(mode, name);
  return schema ? describeSchema(schema) : { default: 'not read', values: '' };
}

function describeSchema(field: z.ZodType): { default: string; values: string } {
  let schema = field;
  let dflt = 'required';
  for (let def = defOf(schema); def.type === 'default' || def.type === 'optional'; def = defOf(schema)) {
    if (dflt === 'required') dflt = def.type === 'default' ? code(def.defaultValue) : 'unset';
    schema = def.innerType!;
  }
  const def = defOf(schema);
  const values =
    def.type === 'literal' ? def.values!.map(code).join(' or ')
    : def.type === 'enum' ? Object.values(def.entries!).map(code).join(' or ')
    : def.type === 'never' ? 'not allowed'
    : (schema.description ?? '');
  return { default: dflt, values };
}

const code = (value: unknown) => `\`${typeof value === 'string' ? value : JSON.stringify(value)}\``;

function perMode(of: (mode: Mode) => string): string {
  const mock = of('mock');
  const live = of('live');
  return mock === live ? mock : `mock: ${mock}; live: ${live}`;
}

export interface VariableFacts {
  name: DocumentedVariable;
  meaning: string;
  values: string;
  default: string;
  readBy: string;
  readByShort: string;
  secret: boolean;
}

/** The live app gate's variables: a schema of their own, read in live mode only. */
const APP_LIVE_VARIABLES = Object.keys(AppLiveEnv.shape) as (keyof typeof AppLiveEnv.shape)[];
export type DocumentedVariable = ConfigVariable | (typeof APP_LIVE_VARIABLES)[number];
export const DOCUMENTED_VARIABLES: readonly DocumentedVariable[] = [...VARIABLES, ...APP_LIVE_VARIABLES];

export function variableFacts(name: DocumentedVariable): VariableFacts {
  const doc: VariableDoc | undefined = (VARIABLE_DOCS as Record<string, VariableDoc>)[name] ?? (APP_LIVE_VARIABLE_DOCS as Record<string, VariableDoc>)[name];
  // Typed as complete, but a run without the type check (or a cast) must still name the gap.
  if (!doc) throw new Error(`${name} has no entry in VARIABLE_DOCS (support/config-docs.ts) or APP_LIVE_VARIABLE_DOCS (support/app-gate/live/live-config.ts): add its meaning and readers, then run ${REGENERATE}`);
  const inMain = (VARIABLES as readonly string[]).includes(name);
  const field = (mode: Mode) => (inMain ? describeField(mode, name as ConfigVariable) : describeSchema((AppLiveEnv.shape as Record<string, z.ZodType>)[name]));
  return {
    name,
    meaning: doc.meaning,
    // HARNESS_MODE is a literal in each mode's schema: together they are its valid values.
    values: doc.values ?? (name === 'HARNESS_MODE' ? MODES.map(code).join(' or ') : perMode((mode) => field(mode).values)),
    default: doc.defaultText ?? perMode((mode) => field(mode).default),
    readBy: doc.readBy.map((r) => READERS[r].long).join('; '),
    readByShort: doc.readBy.map((r) => READERS[r].short).join(', '),
    secret: (SECRET_VARIABLES as ReadonlySet<string>).has(name),
  };
}

const anchor = (name: string) => name.toLowerCase();

export function renderConfigPage(names: readonly DocumentedVariable[] = DOCUMENTED_VARIABLES): string {
  const facts = names.map(variableFacts);
  const lines = [
    '# Configuration',
    '',
    `<!-- Generated from support/config.ts, support/config-docs.ts and support/app-gate/live/live-config.ts by \`${REGENERATE}\`; do not edit by hand. -->`,
    '',
    'All configuration comes from the environment; a `.env` file in the working directory is read too,',
    'and variables already set in the environment win over it. A blank value counts as unset, except',
    'where a variable says that empty means none. One zod schema ([`support/config.ts`](../support/config.ts))',
    'validates it: a bad setting stops the run with one error that lists every missing or invalid',
    'variable, and secret values are never printed. [`.env.example`](../.env.example) is a template.',
    'The live app gate (`fch app test --live`) reads some more, validated by a schema of their own',
    '([`support/app-gate/live/live-config.ts`](../support/app-gate/live/live-config.ts)).',
    '',
    '| variable | default | read by |',
    '|---|---|---|',
    ...facts.map((f) => `| [\`${f.name}\`](#${anchor(f.name)}) | ${cell(f.default)} | ${cell(f.readByShort)} |`),
    '',
  ];
  for (const f of facts) {
    lines.push(`## ${f.name}`, '', f.meaning, '');
    if (f.values) lines.push(`- valid values: ${f.values}`);
    lines.push(`- default: ${f.default}`, `- read by: ${f.readBy}`);
    if (f.secret) lines.push('- secret: its value is never printed, not even in an error about it');
    lines.push('');
  }
  return lines.join('\n');
}

const cell = (text: string) => text.replace(/\|/g, '\\|');

/**
 * Where the committed page and the schema disagree, one line per variable (file:line, what, and to
 * rerun the generator), so the engineer who added or changed a variable sees which one.
 */
export function compareConfigPage(actual: string, expected: string, file = CONFIG_PAGE): string[] {
  const have = partsOf(actual);
  const want = partsOf(expected);
  const problems: string[] = [];
  for (const [name, part] of want) {
    const got = have.get(name);
    const where = got ? `${file}:${got.line}` : file;
    if (!got) problems.push(`${where}: ${name} is in the schema but not on the page`);
    else if (got.text !== part.text) problems.push(`${where}: ${name} on the page differs from the schema`);
  }
  for (const [name, part] of have) if (!want.has(name)) problems.push(`${file}:${part.line}: ${name} is on the page but not in the schema`);
  return problems.map((p) => `${p}; run ${REGENERATE}`);
}

/** The page cut into the introduction and one part per variable (its table row plus its section). */
function partsOf(page: string): Map<string, { line: number; text: string }> {
  const parts = new Map<string, { line: number; text: string }>();
  const add = (name: string, line: number, text: string) => {
    const part = parts.get(name);
    parts.set(name, { line: part?.line ?? line, text: `${part?.text ?? ''}${text}\n` });
  };
  let section = '(introduction)';
  page.split('\n').forEach((text, i) => {
    const heading = /^## (\S+)\s*$/.exec(text);
    if (heading) section = heading[1];
    const row = /^\| \[`([A-Z0-9_]+)`\]/.exec(text);
    add(row ? row[1] : section, i + 1, text);
  });
  return parts;
}
