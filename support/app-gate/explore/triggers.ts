// The web triggers and people that feature files declare (issue 23, item 1): an app started from a
// web form is explored by firing the forms its team already wrote, verbatim, and a number a
// feature names keeps that name. Read line by line: these two steps have one shape each.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { formBody, jsonBody } from '../web-trigger';

export interface DeclaredTrigger {
  path: string;
  contentType: 'application/x-www-form-urlencoded' | 'application/json';
  body: string;
  /** The step and its table or doc string, as the feature wrote them. */
  gherkin: string[];
  source: string;
}

export interface Declared {
  triggers: DeclaredTrigger[];
  /** number → name, from `Given "bob" is at "+15550108888"`. */
  people: Map<string, string>;
}

const TRIGGER = /^\s*(?:When|And|Given|Then|But|\*)\s+the app receives a (form|JSON) POST to "([^"]+)":\s*$/;
const PERSON = /^\s*(?:When|And|Given|Then|But|\*)\s+"([^"]+)" is at "(\+[0-9]+)"\s*$/;

export function featureFiles(paths: readonly string[]): string[] {
  return paths.flatMap((p) => (statSync(p).isDirectory() ? readdirSync(p).sort().flatMap((f) => featureFiles([join(p, f)])) : p.endsWith('.feature') ? [p] : []));
}

export function readDeclared(paths: readonly string[]): Declared {
  const triggers: DeclaredTrigger[] = [];
  const people = new Map<string, string>();
  for (const file of featureFiles(paths)) {
    const lines = readFileSync(file, 'utf8').split('\n');
    lines.forEach((line, i) => {
      const person = PERSON.exec(line);
      if (person && !people.has(person[2])) people.set(person[2], person[1]);
      const m = TRIGGER.exec(line);
      if (!m) return;
      const [, kind, path] = m;
      const rest = lines.slice(i + 1);
      if (kind === 'form') {
        const rows = rest.slice(0, rest.findIndex((l) => !l.trim().startsWith('|')) >>> 0).filter((l) => l.trim().startsWith('|'));
        const fields = Object.fromEntries(rows.map((r) => r.trim().slice(1, -1).split('|').map((c) => c.trim()) as [string, string]));
        triggers.push({ path, contentType: 'application/x-www-form-urlencoded', body: formBody(fields), gherkin: [`When the app receives a form POST to "${path}":`, ...rows.map((r) => `  ${r.trim()}`)], source: `${file}:${i + 1}` });
      } else {
        const open = rest.findIndex((l) => l.trim() === '"""');
        const close = rest.findIndex((l, j) => j > open && l.trim() === '"""');
        if (open !== 0 || close < 0) return;
        const doc = rest.slice(1, close).map((l) => l.trim()).join('\n');
        triggers.push({ path, contentType: 'application/json', body: jsonBody(doc), gherkin: [`When the app receives a JSON POST to "${path}":`, '  """', ...doc.split('\n').map((l) => `  ${l}`), '  """'], source: `${file}:${i + 1}` });
      }
    });
  }
  // The same form in several scenarios is one trigger.
  const unique = triggers.filter((t, i) => triggers.findIndex((u) => u.path === t.path && u.body === t.body) === i);
  return { triggers: unique, people };
}
