// The console's first answer to "why is the gate red?": every failed scenario × reading with the
// first lines of its reason, readings that fail the same way grouped on one line, so a CI log says
// why before it shows the table. Reasons are compared without what differs between readings by
// construction (the reading's own name, random call and conference ids).

export interface FailedRunView {
  label: string;
  scenarios: readonly { id: string; uri: string; name: string; status: string; error?: string }[];
}

const REASON_LINES = 4;
const LINE_CHARS = 220;

/** The first meaningful lines of a failure, without stack frames. */
export function reasonOf(error: string | undefined): string {
  const lines = (error ?? '(no message)')
    .split('\n')
    .map((l) => l.trimEnd())
    .filter((l) => l.trim() !== '' && !/^\s+at /.test(l));
  const head = lines.slice(0, REASON_LINES).map((l) => (l.length > LINE_CHARS ? `${l.slice(0, LINE_CHARS - 1)}…` : l));
  return lines.length > REASON_LINES ? [...head, `… ${lines.length - REASON_LINES} more line(s) in the report`].join('\n') : head.join('\n');
}

/** Two readings "fail the same way" when their reasons match once reading names and ids are masked. */
function groupKey(reason: string): string {
  return reason
    .replace(/\(variant: [^)]*\)/g, '(variant)')
    .replace(/variant: [\w=,.-]+/g, 'variant')
    .replace(/\b(CA|CF|AP|PN|RE|CR)[0-9a-fA-F]{16,}\b/g, '$1…')
    .replace(/#\d+\b/g, '#n');
}

/** A reason shown for several readings names none of them. */
const withoutReading = (reason: string) => reason.replace(/ ?\(variant: [^)]*\)/g, '');

export function failureReasons(runs: readonly FailedRunView[], shortUri: (uri: string) => string = (u) => u): string {
  const order: string[] = [];
  const byScenario = new Map<string, { title: string; groups: Map<string, { reason: string; labels: string[] }> }>();
  for (const run of runs) {
    for (const s of run.scenarios) {
      if (s.status !== 'failed') continue;
      let entry = byScenario.get(s.id);
      if (!entry) {
        entry = { title: `${s.name} (${shortUri(s.uri)})`, groups: new Map() };
        byScenario.set(s.id, entry);
        order.push(s.id);
      }
      const reason = reasonOf(s.error);
      const key = groupKey(reason);
      const group = entry.groups.get(key) ?? { reason, labels: [] };
      group.labels.push(run.label);
      entry.groups.set(key, group);
    }
  }
  if (order.length === 0) return '';
  const total = runs.reduce((n, r) => n + r.scenarios.length, 0);
  const lines = [`failed (${runs.reduce((n, r) => n + r.scenarios.filter((s) => s.status === 'failed').length, 0)} of ${total} scenario runs):`];
  for (const id of order) {
    const { title, groups } = byScenario.get(id)!;
    lines.push(`✗ ${title}`);
    for (const { reason, labels } of groups.values()) {
      const under = labels.length === runs.length && runs.length > 1 ? 'every reading' : labels.join(', ');
      const [first, ...rest] = (labels.length > 1 ? withoutReading(reason) : reason).split('\n');
      lines.push(`    under ${under}: ${first}`, ...rest.map((l) => `      ${l}`));
    }
  }
  return lines.join('\n');
}
