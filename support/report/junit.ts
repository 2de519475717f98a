// JUnit XML for CI: one <testsuite> per run (for the app gate: per documented reading), one
// <testcase> per scenario, the failure message in <failure>. CI systems read nothing else.
export interface JunitCase {
  name: string;
  classname: string;
  timeMs: number;
  status: 'passed' | 'failed' | 'skipped';
  failure?: string;
}

export interface JunitSuite {
  name: string;
  cases: JunitCase[];
}

export function junitXml(suites: readonly JunitSuite[]): string {
  const count = (cases: readonly JunitCase[], status: JunitCase['status']) => cases.filter((c) => c.status === status).length;
  const all = suites.flatMap((s) => s.cases);
  const secs = (ms: number) => (ms / 1000).toFixed(3);
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>', `<testsuites name="app gate" tests="${all.length}" failures="${count(all, 'failed')}" skipped="${count(all, 'skipped')}" time="${secs(all.reduce((t, c) => t + c.timeMs, 0))}">`];
  for (const suite of suites) {
    const time = suite.cases.reduce((t, c) => t + c.timeMs, 0);
    lines.push(`  <testsuite name="${attr(suite.name)}" tests="${suite.cases.length}" failures="${count(suite.cases, 'failed')}" skipped="${count(suite.cases, 'skipped')}" time="${secs(time)}">`);
    for (const c of suite.cases) {
      const open = `    <testcase name="${attr(c.name)}" classname="${attr(c.classname)}" time="${secs(c.timeMs)}"`;
      if (c.status === 'passed') lines.push(`${open}/>`);
      else if (c.status === 'skipped') lines.push(`${open}><skipped/></testcase>`);
      else lines.push(`${open}><failure message="${attr(firstLine(c.failure ?? 'failed'))}">${text(c.failure ?? '')}</failure></testcase>`);
    }
    lines.push('  </testsuite>');
  }
  lines.push('</testsuites>');
  return `${lines.join('\n')}\n`;
}

const firstLine = (s: string) => s.split('\n')[0].slice(0, 500);
// XML 1.0 cannot carry most control characters at all, not even escaped.
const clean = (s: string) => s.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '');
const text = (s: string) => clean(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const attr = (s: string) => text(s).replace(/"/g, '&quot;').replace(/\n/g, '&#10;');
