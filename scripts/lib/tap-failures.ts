// Names the failing tests in node:test's TAP output, for the self-check's summary: it must say
// which test failed and why, not only that one did (a flaky test is found by its name).

/** One line per failing test: its name, where it is, and the first line of its error. */
export function failedTests(tap: string, root = process.cwd()): string[] {
  const lines = tap.split('\n');
  const failures: string[] = [];
  lines.forEach((line, i) => {
    const test = /^\s*not ok \d+ - (.*?)(\s+#.*)?$/.exec(line);
    if (!test) return;
    const block = lines.slice(i + 1, i + 60);
    const end = block.findIndex((l) => /^\s*\.\.\.\s*$/.test(l));
    const yaml = (end < 0 ? block : block.slice(0, end)).map((l) => l.trim());
    const field = (name: string) => {
      const at = yaml.findIndex((l) => l.startsWith(`${name}:`));
      if (at < 0) return undefined;
      const value = yaml[at].slice(name.length + 1).trim();
      // Multi-line values (`|-`) continue on the next lines.
      return (value === '|-' || value === '|' ? yaml[at + 1] ?? '' : value).replace(/^'|'$/g, '');
    };
    // A suite or file fails because its tests do, and those are listed themselves.
    if (field('failureType') === 'subtestsFailed') return;
    const location = field('location')?.replace(`${root}/`, '');
    const error = field('error');
    failures.push(`not ok: ${test[1]}${location ? ` (${location})` : ''}${error ? ` — ${error.slice(0, 300)}` : ''}`);
  });
  return failures;
}
