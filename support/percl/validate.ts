// The PerCL validator: every problem in a script, each with a JSON pointer and the rule it broke.
// It is shared by the receiver (before serving a scripted answer), the simulator (before executing
// an app's answer) and the `fch percl validate` CLI, so all three agree on what "valid" means.
import type { z } from 'zod';
import {
  COMMANDS,
  COMMAND_NAMES,
  LEGACY_ATTRIBUTES,
  PROMPT_COMMANDS,
  PROMPT_HOLDERS,
  TERMINAL_COMMANDS,
  type Command,
  type CommandName,
} from '../schemas/percl';
import type { Problem, Rule } from './problem';
import { attributeRules, placementRules, type ScriptContext } from './script-rules';

// The validator's callers name these through it, as they did when they were declared here.
export type { Problem, Rule } from './problem';
export type { ScriptContext } from './script-rules';

export interface PerclReport {
  valid: boolean;
  problems: Problem[];
  /** The commands that will run: validated, legacy attributes split off, cut at the first terminal. */
  commands: Command[];
}

const escape = (segment: string | number) => String(segment).replace(/~/g, '~0').replace(/\//g, '~1');
const pointer = (...segments: (string | number)[]) => '/' + segments.map(escape).join('/');

export function validatePercl(doc: unknown, context: ScriptContext = {}): PerclReport {
  const problems: Problem[] = [];
  const commands: Command[] = [];
  if (!Array.isArray(doc)) {
    problems.push({
      pointer: '',
      rule: 'document-shape',
      severity: 'error',
      message: `a PerCL script is a JSON array of commands, got ${describe(doc)}`,
    });
    return { valid: false, problems, commands };
  }
  let terminalAt: number | undefined;
  const named: { name: CommandName; index: number }[] = [];
  doc.forEach((element, index) => {
    const command = checkCommand(element, [index], problems, 'top');
    const name = commandNameOf(element);
    if (name) named.push({ name, index });
    if (terminalAt !== undefined) {
      problems.push({
        pointer: pointer(index),
        rule: 'after-terminal',
        severity: 'warning',
        message: `ignored: it follows the terminal command at ${pointer(terminalAt)}`,
      });
      return;
    }
    if (command) {
      commands.push(command);
      if (TERMINAL_COMMANDS.has(command.name)) terminalAt = index;
    }
  });
  for (const found of placementRules(named, context)) problems.push(locate(found, []));
  return { valid: !problems.some((p) => p.severity === 'error'), problems, commands };
}

function commandNameOf(element: unknown): CommandName | undefined {
  if (typeof element !== 'object' || element === null || Array.isArray(element)) return undefined;
  const keys = Object.keys(element);
  return keys.length === 1 && (COMMAND_NAMES as string[]).includes(keys[0]) ? (keys[0] as CommandName) : undefined;
}

function locate(found: ReturnType<typeof attributeRules>[number], base: (string | number)[]): Problem {
  const { path, ...rest } = found;
  return { pointer: pointer(...base, ...path), ...rest };
}

function checkCommand(
  element: unknown,
  path: (string | number)[],
  problems: Problem[],
  context: 'top' | { holder: CommandName },
): Command | undefined {
  const at = pointer(...path);
  if (typeof element !== 'object' || element === null || Array.isArray(element)) {
    problems.push({ pointer: at, rule: 'command-shape', severity: 'error', message: `a command is an object with one key, got ${describe(element)}` });
    return undefined;
  }
  const keys = Object.keys(element);
  if (keys.length !== 1) {
    problems.push({
      pointer: at,
      rule: 'command-shape',
      severity: 'error',
      message: `a command object has exactly one key (the command name), got ${keys.length}: ${keys.join(', ') || '(none)'}`,
    });
    return undefined;
  }
  const name = keys[0];
  const attrs = (element as Record<string, unknown>)[name];
  const attrPath = [...path, name];
  if (!(COMMAND_NAMES as string[]).includes(name)) {
    problems.push({
      pointer: pointer(...attrPath),
      rule: 'unknown-command',
      severity: 'error',
      message: `unknown PerCL command "${name}"; known: ${COMMAND_NAMES.join(', ')}`,
    });
    return undefined;
  }
  const commandName = name as CommandName;
  if (context !== 'top' && !PROMPT_COMMANDS.has(commandName)) {
    problems.push({
      pointer: pointer(...attrPath),
      rule: 'nesting',
      severity: 'error',
      message: `${commandName} cannot be nested in ${context.holder}.prompts; only Say, Play and Pause can`,
    });
    return undefined;
  }
  if (typeof attrs !== 'object' || attrs === null || Array.isArray(attrs)) {
    problems.push({ pointer: pointer(...attrPath), rule: 'type', severity: 'error', message: `${commandName} attributes must be an object, got ${describe(attrs)}` });
    return undefined;
  }
  const { current, legacy } = splitLegacy(commandName, attrs as Record<string, unknown>);
  for (const key of Object.keys(legacy)) {
    problems.push({
      pointer: pointer(...attrPath, key),
      rule: 'legacy-attribute',
      severity: 'warning',
      message: `${commandName}.${key} was removed from the spec in 2024; FreeClimb may ignore it`,
    });
  }
  const result = (COMMANDS[commandName] as z.ZodType).safeParse(current);
  // Only real errors make the command unusable; unknown attributes are warnings (set below).
  let ok = true;
  if (!result.success) {
    for (const issue of result.error.issues) {
      const mapped = mapIssue(issue, current, commandName);
      const issuePath = issue.code === 'unrecognized_keys' ? [] : issue.path;
      if (issue.code === 'unrecognized_keys') {
        for (const key of issue.keys) {
          problems.push({ pointer: pointer(...attrPath, key), rule: 'unknown-attribute', severity: 'warning', message: `${commandName} has no attribute "${key}"` });
        }
        continue;
      }
      ok = false;
      problems.push({ pointer: pointer(...attrPath, ...(issuePath as (string | number)[])), rule: mapped.rule, severity: 'error', message: mapped.message });
    }
  }
  if (ok) {
    for (const found of attributeRules(commandName, current)) {
      problems.push(locate(found, attrPath));
      if (found.severity === 'error') ok = false;
    }
  }
  if (PROMPT_HOLDERS.has(commandName) && Array.isArray((current as { prompts?: unknown }).prompts)) {
    const before = problems.filter((p) => p.severity === 'error').length;
    ((current as { prompts: unknown[] }).prompts).forEach((prompt, i) => checkCommand(prompt, [...attrPath, 'prompts', i], problems, { holder: commandName }));
    if (problems.filter((p) => p.severity === 'error').length > before) ok = false;
  }
  if (!ok) return undefined;
  // Unknown attributes are warnings; strip them so the executed command is the validated shape.
  const known = Object.fromEntries(Object.entries(current).filter(([k]) => k in (COMMANDS[commandName] as unknown as z.ZodObject).shape));
  return { name: commandName, attrs: known, legacy } as Command;
}

function splitLegacy(name: CommandName, attrs: Record<string, unknown>) {
  const legacyKeys = LEGACY_ATTRIBUTES[name] ?? [];
  const current: Record<string, unknown> = {};
  const legacy: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(attrs)) (legacyKeys.includes(k) ? legacy : current)[k] = v;
  return { current, legacy };
}

function mapIssue(issue: z.core.$ZodIssue, attrs: Record<string, unknown>, name: CommandName): { rule: Rule; message: string } {
  const where = `${name}.${issue.path.join('.')}`;
  switch (issue.code) {
    case 'invalid_type':
      if (issue.path.length === 1 && attrs[String(issue.path[0])] === undefined) {
        return { rule: 'required', message: `${where} is required` };
      }
      return { rule: 'type', message: `${where} must be ${issue.expected}, got ${describe(valueAt(attrs, issue.path))}` };
    case 'invalid_value':
      return { rule: 'enum', message: `${where} must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}, got ${JSON.stringify(valueAt(attrs, issue.path))}` };
    case 'invalid_format':
      return { rule: 'format', message: `${where}: ${issue.message} (got ${JSON.stringify(valueAt(attrs, issue.path))})` };
    case 'too_small':
    case 'too_big':
      return { rule: 'range', message: `${where}: ${issue.message}` };
    case 'invalid_union':
      return { rule: 'type', message: `${where} has an unsupported value ${JSON.stringify(valueAt(attrs, issue.path))}` };
    default:
      return { rule: 'type', message: `${where}: ${issue.message}` };
  }
}

function valueAt(obj: unknown, path: PropertyKey[]): unknown {
  return path.reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[k] : undefined), obj);
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') return 'an object';
  return `${typeof v} ${JSON.stringify(v)}`;
}

/** One line per problem, for logs, CLI output and failure messages. */
export function formatProblems(problems: Problem[]): string {
  return problems.map((p) => `${p.severity === 'error' ? 'error' : 'warn '} ${p.pointer || '(document)'} [${p.rule}] ${p.message}`).join('\n');
}
