// One reports/junit.xml from the JUnit files of several shards: Cucumber's own formatter (npm test,
// test:live: one <testsuite>) and the app gate's (support/report/junit.ts: <testsuites>, one
// <testsuite> per reading). Suites of the same name become one (a reading split over shards), and a
// test case that several files carry (the same artifact downloaded twice) is kept once.
//
// Both writers are ours or Cucumber's, so a reader of exactly their shape is enough: testsuite and
// testcase elements with their attributes (a quoted value may hold `>`), each case's body (failure,
// skipped, system-out) kept verbatim. Counts and times are computed again from the cases.

export interface JunitCaseXml {
  classname: string;
  name: string;
  /** Seconds, as written. */
  time: number;
  /** `<testcase …>` attributes, verbatim. */
  attrs: string;
  /** What is inside <testcase>, verbatim; empty for a passed case written as `<testcase …/>`. */
  body: string;
}

export interface JunitSuiteXml {
  name: string;
  cases: JunitCaseXml[];
}

const ATTR = /([\w:-]+)="([^"]*)"/g;
function attrsOf(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of text.matchAll(ATTR)) out[m[1]] = unescape(m[2]);
  return out;
}
const unescape = (s: string) => s.replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&#10;/g, '\n').replace(/&amp;/g, '&');
const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/\n/g, '&#10;');

/** The suites of one JUnit file, whether it has a <testsuites> root or a lone <testsuite>. */
export function parseJunit(xml: string): JunitSuiteXml[] {
  const suites: JunitSuiteXml[] = [];
  for (const s of xml.matchAll(/<testsuite\b((?:[^>"]|"[^"]*")*?)(?:\/>|>([\s\S]*?)<\/testsuite>)/g)) {
    const cases: JunitCaseXml[] = [];
    for (const c of (s[2] ?? '').matchAll(/<testcase\b((?:[^>"]|"[^"]*")*?)(?:\/>|>([\s\S]*?)<\/testcase>)/g)) {
      const a = attrsOf(c[1]);
      cases.push({ classname: a.classname ?? '', name: a.name ?? '', time: Number(a.time ?? 0) || 0, attrs: c[1].trim(), body: c[2] ?? '' });
    }
    suites.push({ name: attrsOf(s[1]).name ?? '', cases });
  }
  return suites;
}

/**
 * Suites merged by name in first-seen order; a case is known by suite, classname, name and which
 * occurrence of that triple it is in its own file, so two same-named scenarios of one file both
 * stay, while the same file read twice adds nothing. Returns the suites and how many cases were dropped.
 */
export function mergeJunitSuites(files: readonly JunitSuiteXml[][]): { suites: JunitSuiteXml[]; duplicates: number } {
  const byName = new Map<string, JunitSuiteXml>();
  const seen = new Set<string>();
  let duplicates = 0;
  for (const file of files) {
    const nth = new Map<string, number>();
    for (const suite of file) {
      const merged = byName.get(suite.name) ?? { name: suite.name, cases: [] };
      byName.set(suite.name, merged);
      for (const c of suite.cases) {
        const id = `${suite.name}\u0000${c.classname}\u0000${c.name}`;
        const n = (nth.get(id) ?? 0) + 1;
        nth.set(id, n);
        if (seen.has(`${id}\u0000${n}`)) {
          duplicates++;
          continue;
        }
        seen.add(`${id}\u0000${n}`);
        merged.cases.push(c);
      }
    }
  }
  return { suites: [...byName.values()], duplicates };
}

const statusOf = (c: JunitCaseXml) => (/<(failure|error)\b/.test(c.body) ? 'failed' : /<skipped\b/.test(c.body) ? 'skipped' : 'passed');

export function junitCounts(suites: readonly JunitSuiteXml[]): { tests: number; failures: number; skipped: number } {
  const all = suites.flatMap((s) => s.cases);
  return { tests: all.length, failures: all.filter((c) => statusOf(c) === 'failed').length, skipped: all.filter((c) => statusOf(c) === 'skipped').length };
}

export function writeJunit(suites: readonly JunitSuiteXml[], name = 'merged shards'): string {
  const head = (tag: string, n: string, cases: readonly JunitCaseXml[]) => {
    const { tests, failures, skipped } = junitCounts([{ name: n, cases: [...cases] }]);
    return `<${tag} name="${escape(n)}" tests="${tests}" failures="${failures}" skipped="${skipped}" time="${cases.reduce((t, c) => t + c.time, 0).toFixed(3)}">`;
  };
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>', head('testsuites', name, suites.flatMap((s) => s.cases))];
  for (const s of suites) {
    lines.push(`  ${head('testsuite', s.name, s.cases)}`);
    for (const c of s.cases) lines.push(c.body ? `    <testcase ${c.attrs}>${c.body}</testcase>` : `    <testcase ${c.attrs}/>`);
    lines.push('  </testsuite>');
  }
  lines.push('</testsuites>');
  return `${lines.join('\n')}\n`;
}
