// Finds, in one Allure results folder, the app gate's scenarios that ran both live (variant `live`)
// and in mock mode (the default reading, or the first reading the mock results hold), compares their
// conversations (conversation-diff.ts), ranks every reading the mock results hold by how close the
// account came to it (where the docs allow several, which one the account follows), and writes what differs: reports/app-gate/live-vs-mock.json, and Allure results under the epic
// "App gate: live vs mock", one per scenario (broken when the account and the simulator disagree,
// with the differences and the exchanges that show them) plus a summary. The two runs reach one
// folder as `fch report --mock DIR --live DIR` (merged like shards) or with HARNESS_KEEP_RESULTS=1.
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Conversation } from '../schemas/conversation';
import { compareConversations, describeDifference } from './conversation-diff';
import { LiveVsMock, type ScenarioDifference, type WebhookDifference } from './conversation-diff-schema';
import { MASKED_TEXT } from './conversation-mask';

export const LIVE_VS_MOCK_EPIC = 'App gate: live vs mock';
const HISTORY_PREFIX = 'live-vs-mock:';
export const MOCK_READING = 'default';

interface AllureNode {
  name?: string;
  attachments?: { name: string; source: string }[];
  steps?: AllureNode[];
}
interface AllureResult extends AllureNode {
  fullName?: string;
  historyId?: string;
  parameters?: { name: string; value: string }[];
}

function attachmentsOf(n: AllureNode): { name: string; source: string }[] {
  return [...(n.attachments ?? []), ...(n.steps ?? []).flatMap(attachmentsOf)];
}

/**
 * The scenario's id across runs: the feature path and name, without the project name Allure puts
 * first; the gate's built-in feature is named by its path relative to each run's folder, which differs.
 */
const scenarioKey = (fullName: string) => fullName.replace(/^[^:#]*:(?!\/)/, '').replace(/^[^#]*\/app-features\//, 'app-features/');

/** Conversations of the gate's scenarios in `dir`, by scenario key, for the live run and the mock reading. */
export function readConversations(dir: string, mockReading = MOCK_READING): { live: Map<string, Conversation>; mock: Map<string, Conversation>; names: Map<string, string> } {
  const live = new Map<string, Conversation>();
  const mock = new Map<string, Conversation>();
  const names = new Map<string, string>();
  for (const file of readdirSync(dir).filter((f) => f.endsWith('-result.json'))) {
    const r = JSON.parse(readFileSync(join(dir, file), 'utf8')) as AllureResult;
    const variant = r.parameters?.find((p) => p.name === 'variant')?.value;
    if (!r.fullName || (variant !== 'live' && variant !== mockReading)) continue;
    const att = attachmentsOf(r).find((a) => a.name === 'conversation.json');
    if (!att || !existsSync(join(dir, att.source))) continue;
    const parsed = Conversation.safeParse(JSON.parse(readFileSync(join(dir, att.source), 'utf8')));
    if (!parsed.success) continue;
    const key = scenarioKey(r.fullName);
    names.set(key, r.name ?? key);
    (variant === 'live' ? live : mock).set(key, parsed.data);
  }
  return { live, mock, names };
}

/** The readings the mock gate's results in `dir` hold (each result's `variant`), the default first. */
export function mockReadings(dir: string): string[] {
  const found = new Set<string>();
  for (const file of readdirSync(dir).filter((f) => f.endsWith('-result.json'))) {
    const r = JSON.parse(readFileSync(join(dir, file), 'utf8')) as AllureResult;
    const variant = r.parameters?.find((p) => p.name === 'variant')?.value;
    if (r.fullName && variant && variant !== 'live' && attachmentsOf(r).some((a) => a.name === 'conversation.json')) found.add(variant);
  }
  return [...found].sort((a, b) => Number(b === MOCK_READING) - Number(a === MOCK_READING) || a.localeCompare(b));
}

/**
 * The comparison of every scenario that has a conversation in either run, against `mockReading`
 * (the default reading, or the first the mock results hold when they have no default), and a line
 * per reading the mock results hold; undefined when one of the runs is absent.
 */
export function liveVsMock(dir: string, mockReading?: string): LiveVsMock | undefined {
  const readings = mockReadings(dir);
  const main = mockReading ?? readings[0];
  if (!main) return undefined;
  const report = compareWith(dir, main);
  if (!report) return undefined;
  const others = readings.map((r) => (r === main ? report : compareWith(dir, r))).filter((r): r is LiveVsMock => r !== undefined);
  // Ranked on the scenarios every reading compared: a mock run that holds fewer scenarios under one
  // reading (a failed or partial run) must not make that reading look closer.
  const comparedKeys = (r: LiveVsMock) => new Set(r.scenarios.filter((x) => x.verdict === 'same' || x.verdict === 'different').map((x) => `${x.feature}#${x.scenario}`));
  const sets = others.map(comparedKeys);
  const shared = [...(sets[0] ?? [])].filter((k) => sets.every((set) => set.has(k)));
  report.readings = others
    .map((r) => {
      const differing = r.scenarios.filter((x) => x.verdict === 'different' && shared.includes(`${x.feature}#${x.scenario}`));
      return { reading: r.mockReading, compared: r.summary.compared, different: r.summary.different, differences: r.scenarios.reduce((n, x) => n + x.differences.length, 0), shared: shared.length, differentShared: differing.length };
    })
    .sort((a, b) => a.differentShared - b.differentShared || b.compared - a.compared || a.different - b.different || Number(b.reading === main) - Number(a.reading === main));
  return report;
}

function compareWith(dir: string, mockReading: string): LiveVsMock | undefined {
  const { live, mock, names } = readConversations(dir, mockReading);
  if (live.size === 0 || mock.size === 0) return undefined;
  const keys = [...new Set([...mock.keys(), ...live.keys()])].sort();
  const scenarios: ScenarioDifference[] = keys.map((key) => {
    const m = mock.get(key);
    const l = live.get(key);
    const base = { scenario: names.get(key) ?? key, feature: key.split('#')[0] };
    if (!m || !l) return { ...base, verdict: m ? 'only-mock' : 'only-live', mockWebhooks: 0, liveWebhooks: 0, differences: [] };
    const c = compareConversations(m, l);
    return { ...base, verdict: c.differences.length ? 'different' : 'same', ...c };
  });
  const count = (v: ScenarioDifference['verdict']) => scenarios.filter((s) => s.verdict === v).length;
  return LiveVsMock.parse({
    mockReading,
    masked: MASKED_TEXT,
    summary: { compared: count('same') + count('different'), same: count('same'), different: count('different'), onlyMock: count('only-mock'), onlyLive: count('only-live') },
    scenarios,
  });
}

/** The summary in one line, for `fch report`'s output. */
export function liveVsMockLine(r: LiveVsMock): string {
  const s = r.summary;
  const best = r.readings[0];
  const closest = r.readings.length > 1 ? `; closest reading: ${best.reading} (${best.differentShared} of the ${best.shared} scenario(s) every reading compared differ)` : '';
  return `live vs mock (${r.mockReading} reading): ${s.compared} scenario(s) compared, ${s.different} with differences${s.onlyMock ? `, ${s.onlyMock} mock only` : ''}${s.onlyLive ? `, ${s.onlyLive} live only` : ''}${closest}`;
}

/** The account against each reading the mock gate ran, closest first. */
export function readingsText(r: LiveVsMock): string {
  if (r.readings.length < 2) return '';
  const rows = r.readings.map((x) => `  ${x.reading}: ${x.different} of ${x.compared} scenario(s) differ (${x.differences} difference(s)); of the ${x.shared} every reading compared, ${x.differentShared}`);
  return `Which reading the account behaves like (each reading the mock gate ran, compared with live the same way, closest first on the scenarios every reading compared):\n${rows.join('\n')}\n`;
}

export function scenarioText(s: ScenarioDifference, mockReading = MOCK_READING): string {
  if (s.verdict === 'only-mock') return `${s.scenario}: no live conversation (skipped live, or not run live)`;
  if (s.verdict === 'only-live') return `${s.scenario}: no conversation of the mock gate's ${mockReading} reading`;
  if (s.verdict === 'same') return `${s.scenario}: the same ${s.liveWebhooks} webhook(s) live and in mock mode`;
  return `${s.scenario}: ${s.differences.length} difference(s) (${s.liveWebhooks} webhooks live, ${s.mockWebhooks} in mock mode)\n${s.differences.map((d) => `  - ${describeDifference(d)}`).join('\n')}`;
}

const esc = (t: string) => t.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

/** The exchange on each side of a difference: the webhook and its masked fields, the differing field marked. */
function exchangeCell(w: { requestType: string; path: string; seq: number; fields: Record<string, string>; answer: string } | undefined, field?: string): string {
  if (!w) return '<td class="none">—</td>';
  const rows = Object.entries(w.fields).map(([k, v]) => `<div${k === field ? ' class="hit"' : ''}>${esc(k)}: ${esc(v)}</div>`);
  return `<td><b>#${w.seq} ${esc(w.requestType)}</b> ${esc(w.path)}${rows.join('')}<div${field === '(answer)' ? ' class="hit"' : ''}>answer: ${esc(w.answer)}</div></td>`;
}

export function scenarioHtml(s: ScenarioDifference, mockReading = MOCK_READING): string {
  const row = (d: WebhookDifference) => {
    const mock = 'mock' in d ? d.mock : undefined;
    const live = 'live' in d ? d.live : undefined;
    const field = d.kind === 'field' ? d.field : undefined;
    return `<tr><td>${esc(describeDifference(d))}</td>${exchangeCell(mock, field)}${exchangeCell(live, field)}</tr>`;
  };
  return `<!doctype html><meta charset="utf-8"><style>body{font:13px sans-serif}td{vertical-align:top;border-top:1px solid #ccc;padding:4px}.hit{background:#fde68a}.none{color:#999}</style>
<h3>${esc(s.scenario)}</h3><p>${esc(MASKED_TEXT)}.</p>
<table><tr><th>difference</th><th>simulator (mock, ${mockReading} reading)</th><th>account (live)</th></tr>${s.differences.map(row).join('')}</table>`;
}

/** Removes the results (and their attachments) an earlier `fch report` wrote into `dir`, so a report shows one comparison. */
function removeEarlier(dir: string): void {
  for (const file of readdirSync(dir).filter((f) => f.endsWith('-result.json'))) {
    const r = JSON.parse(readFileSync(join(dir, file), 'utf8')) as AllureResult;
    if (!r.historyId?.startsWith(HISTORY_PREFIX)) continue;
    for (const a of attachmentsOf(r)) rmSync(join(dir, a.source), { force: true });
    rmSync(join(dir, file), { force: true });
  }
}

function writeResult(dir: string, r: { key: string; name: string; feature: string; status: string; message?: string; attachments: { name: string; type: string; ext: string; content: string }[] }): void {
  const attachments = r.attachments.map((a) => {
    const source = `${randomUUID()}-attachment.${a.ext}`;
    writeFileSync(join(dir, source), a.content);
    return { name: a.name, source, type: a.type };
  });
  const now = Date.now();
  const result = {
    uuid: randomUUID(),
    historyId: HISTORY_PREFIX + r.key,
    name: r.name,
    fullName: HISTORY_PREFIX + r.key,
    status: r.status,
    ...(r.message ? { statusDetails: { message: r.message } } : {}),
    stage: 'finished',
    start: now,
    stop: now,
    labels: [{ name: 'epic', value: LIVE_VS_MOCK_EPIC }, { name: 'feature', value: r.feature }],
    parameters: [],
    steps: [],
    attachments,
  };
  writeFileSync(join(dir, `${result.uuid}-result.json`), JSON.stringify(result));
}

/** Compares and writes: the JSON under `<reportsDir>/app-gate/`, the Allure results into `resultsDir`. Undefined when there is nothing to compare. */
export function writeLiveVsMock(resultsDir: string, reportsDir: string, reading?: string): { report: LiveVsMock; file: string } | undefined {
  removeEarlier(resultsDir);
  const report = liveVsMock(resultsDir, reading);
  if (!report) return undefined;
  const mockReading = report.mockReading;
  const out = join(reportsDir, 'app-gate');
  mkdirSync(out, { recursive: true });
  const file = join(out, 'live-vs-mock.json');
  writeFileSync(file, JSON.stringify(report, null, 2));
  for (const s of report.scenarios) {
    const status = s.verdict === 'same' ? 'passed' : s.verdict === 'different' ? 'broken' : 'skipped';
    const text = scenarioText(s, mockReading);
    writeResult(resultsDir, {
      key: `${s.feature}#${s.scenario}`,
      name: `live vs mock: ${s.scenario}`,
      feature: s.feature,
      status,
      ...(s.verdict === 'same' ? {} : { message: text.split('\n').slice(0, 6).join('\n') }),
      attachments: [
        { name: 'live-vs-mock.txt', type: 'text/plain', ext: 'txt', content: text },
        ...(s.differences.length ? [{ name: 'live-vs-mock.html', type: 'text/html', ext: 'html', content: scenarioHtml(s, mockReading) }] : []),
        { name: 'live-vs-mock.json', type: 'application/json', ext: 'json', content: JSON.stringify(s, null, 2) },
      ],
    });
  }
  const readings = readingsText(report);
  const summary = `${liveVsMockLine(report)}\n${report.masked}.\n\n${readings ? `${readings}\n` : ''}${report.scenarios.map((s) => scenarioText(s, report.mockReading)).join('\n')}\n`;
  writeResult(resultsDir, { key: '(summary)', name: 'live vs mock: summary', feature: 'summary', status: report.summary.different ? 'broken' : 'passed', ...(report.summary.different ? { message: liveVsMockLine(report) } : {}), attachments: [{ name: 'summary.txt', type: 'text/plain', ext: 'txt', content: summary }] });
  return { report, file };
}
