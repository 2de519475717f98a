// The conformance page (support/report/conformance): built from small fake results directories so
// each rule of the page is pinned on its own: one row per catalog clause, how a cell gets its state
// (fail with its message, caught fault, skip reason, uncheckable), no credential in the output,
// and every text escaped.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CLAUSES } from '../features/clauses';
import { writeConformancePage } from '../support/report/conformance';

const SECRET = 'sk_test_Zq8w3NotARealKey41';
let counter = 0;

interface Fake {
  name: string;
  historyId: string;
  status: string;
  clauses?: string[];
  story?: string;
  message?: string;
  tags?: string[];
  mode?: string;
  fault?: string;
  epic?: string;
  stop?: number;
}

function result(dir: string, f: Fake): void {
  mkdirSync(dir, { recursive: true });
  const labels = [
    { name: 'mode', value: f.mode ?? 'mock' },
    { name: 'variant', value: 'default' },
    { name: 'epic', value: f.epic ?? 'FreeClimb conference lifecycle' },
    ...(f.fault ? [{ name: 'fault', value: f.fault }] : []),
    ...(f.clauses ?? []).map((c) => ({ name: 'clause', value: c })),
    ...(f.story ? [{ name: 'story', value: f.story }] : []),
    ...(f.tags ?? []).map((t) => ({ name: 'tag', value: t })),
  ];
  const uuid = `00000000-0000-0000-0000-${String(++counter).padStart(12, '0')}`;
  const body = { uuid, name: f.name, fullName: `features/x.feature#${f.name}`, historyId: f.historyId, status: f.status, statusDetails: f.message ? { message: f.message } : {}, labels, steps: [], attachments: [], start: (f.stop ?? 1000) - 10, stop: f.stop ?? 1000 };
  writeFileSync(join(dir, `${uuid}-result.json`), JSON.stringify(body));
}

let root: string;
let html: string;
let out: ReturnType<typeof writeConformancePage>;

/** The matrix cells of one clause row, in column order. */
function rowCells(clause: string): { state: string; title: string }[] {
  const row = new RegExp(`<tr data-clause="${clause}"[^>]*>([\\s\\S]*?)</tr>`).exec(html.slice(html.indexOf('id="matrix"')));
  assert.ok(row, `row ${clause}`);
  return [...row[1].matchAll(/<td class="c[^"]*" data-state="([^"]+)" title="([^"]*)"/g)].map((m) => ({ state: m[1], title: m[2] }));
}

describe('conformance page', () => {
  before(() => {
    root = mkdtempSync(join(tmpdir(), 'conformance-page-'));
    process.env.TEST_CONFORMANCE_API_KEY = SECRET;
    const reports = join(root, 'reports');
    const def = join(reports, 'allure-results');
    result(def, { name: 'creates a conference', historyId: 'h1', status: 'passed', clauses: ['C01'] });
    // The same scenario twice (piled-up runs): the newer one (passed) wins.
    result(def, { name: 'reports empty', historyId: 'h2', status: 'failed', clauses: ['C02'], message: 'old failure', stop: 500 });
    result(def, { name: 'reports empty', historyId: 'h2', status: 'passed', clauses: ['C02'], stop: 2000 });
    result(def, {
      name: 'terminate <b>fast</b> & "clean"',
      historyId: 'h3',
      status: 'failed',
      story: 'C14 — Terminating reports terminated',
      message: `ConformanceError: <script>alert(1)</script> expected terminated & "empty"\nsecond line Authorization: Basic QUMxMjM0OnNlY3JldGtleTEyMw== key ${SECRET}`,
    });
    result(def, { name: 'needs a real account', historyId: 'h4', status: 'skipped', story: 'C05', tags: ['@live-only'] });
    result(def, { name: 'an app scenario', historyId: 'g1', status: 'failed', clauses: ['C01'], epic: 'App gate' });
    writeFileSync(join(def, 'environment.properties'), 'mode=mock\nvariants=default\nfault=none\nnode=v20\napiBaseUrl=https://AC123:hunter2pass@api.example.test/apiserver\n');
    const fault = join(reports, 'self-check', 'allure', 'fault-no-populated-status');
    result(fault, { name: 'first joiner populates', historyId: 'h5', status: 'failed', clauses: ['C05'], fault: 'no-populated-status', message: 'expected populated' });
    result(fault, { name: 'creates a conference', historyId: 'h1', status: 'failed', clauses: ['C01'], fault: 'no-populated-status', message: 'collateral damage' });
    writeFileSync(join(fault, 'environment.properties'), 'mode=mock\nvariants=default\nfault=no-populated-status\n');
    mkdirSync(join(reports, 'allure-report', 'data'), { recursive: true }); // a report, not results: ignored
    writeFileSync(join(reports, 'allure-report', 'data', 'x-result.json'), '{}');
    mkdirSync(join(reports, 'app-gate'), { recursive: true });
    const gate = (label: string, status: string) => ({ label, exitCode: status === 'passed' ? 0 : 1, wallMs: 10, scenarios: [{ id: 'f:3', uri: 'features/rooms.feature', feature: 'Rooms', name: 'two callers meet', status, durationMs: 5, ...(status === 'failed' ? { error: 'timed out\nmore' } : {}) }], coverage: {}, timing: [] });
    writeFileSync(join(reports, 'app-gate', 'runs.json'), JSON.stringify([gate('default', 'passed'), gate('startModeratorFirstJoin=inProgressOnly', 'failed')]));
    out = writeConformancePage({ reportsDir: reports, outFile: join(reports, 'conformance.html'), linkFor: (id) => `allure/#${id}`, now: new Date('2026-01-02T03:04:05Z') });
    html = readFileSync(out.file, 'utf8');
  });
  after(() => {
    delete process.env.TEST_CONFORMANCE_API_KEY;
    rmSync(root, { recursive: true, force: true });
  });

  it('has exactly one matrix row per catalog clause, and columns default first', () => {
    const matrix = html.slice(html.indexOf('id="matrix"'), html.indexOf('</table>', html.indexOf('id="matrix"')));
    const rows = [...matrix.matchAll(/<tr data-clause="([^"]+)"/g)].map((m) => m[1]);
    assert.deepEqual(rows, CLAUSES.map((c) => c.id));
    assert.equal(out.clauses, CLAUSES.length);
    assert.deepEqual(out.columns, ['mock default · allure-results', 'fault-no-populated-status']);
    assert.match(html, /<span class="id">C14<\/span> — /);
  });

  it('keeps the newest result per scenario and leaves app-gating results out', () => {
    assert.equal(rowCells('C02')[0].state, 'pass');
    assert.equal(rowCells('C01')[0].state, 'pass', 'the App gate failure does not count');
    assert.doesNotMatch(html, /old failure/);
  });

  it('shows a failing cell as fail with the first line of its message, in the title and the list', () => {
    const [cell] = rowCells('C14');
    assert.equal(cell.state, 'fail');
    assert.match(cell.title, /ConformanceError: &lt;script&gt;alert\(1\)&lt;\/script&gt; expected terminated &amp; &quot;empty&quot;/);
    assert.doesNotMatch(cell.title, /second line/);
    assert.match(html, /id="failures"[\s\S]*C14<\/b> in <b>mock default · allure-results/);
    assert.match(html, /href="allure\/#h3"/);
  });

  it('in a fault column, a failure of a clause the fault breaks is caught; another failure is not', () => {
    assert.equal(rowCells('C05')[1].state, 'expected-fail');
    const c01 = rowCells('C01')[1];
    assert.equal(c01.state, 'fail');
    assert.match(c01.title, /fails unexpectedly under fault no-populated-status: collateral damage/);
  });

  it('gives the skip reason, the uncheckable reason and not-run', () => {
    const [skipped] = rowCells('C05');
    assert.equal(skipped.state, 'skipped');
    assert.match(skipped.title, /needs a live platform with real time/);
    const [c06] = rowCells('C06');
    assert.equal(c06.state, 'uncheckable');
    assert.match(c06.title, /audio is not observable/);
    assert.equal(rowCells('C03')[0].state, 'not-run');
  });

  it('carries no credential: no secret env value, no URL password, no Basic header', () => {
    assert.ok(!html.includes(SECRET));
    assert.ok(!html.includes('hunter2pass'));
    assert.ok(!html.includes('QUMxMjM0OnNlY3JldGtleTEyMw'));
    assert.match(html, /https:\/\/‹redacted›@api\.example\.test\/apiserver/);
  });

  it('escapes every text taken from results', () => {
    assert.ok(!html.includes('<script>alert(1)'));
    assert.ok(!html.includes('<b>fast</b>'));
    assert.match(html, /terminate &lt;b&gt;fast&lt;\/b&gt; &amp; &quot;clean&quot;/);
  });

  it('is self-contained and says what it did not find', () => {
    assert.doesNotMatch(html, /<link |src="http|@import|url\(/);
    assert.match(html, /Not found: [^<]*a live run/);
    assert.match(html, /No live run found/);
    assert.match(html, /harness version<\/dt><dd>\d+\.\d+\.\d+/);
  });

  it('shows app-gate findings before the scenario × reading matrix', () => {
    const finding = html.indexOf('fails only under startModeratorFirstJoin=inProgressOnly');
    assert.ok(finding > 0);
    assert.ok(finding < html.indexOf('id="app-gate"'));
  });

  it('writes a page even when reports/ is empty', () => {
    const empty = join(root, 'empty');
    const r = writeConformancePage({ reportsDir: empty, outFile: join(root, 'empty.html') });
    const page = readFileSync(r.file, 'utf8');
    assert.deepEqual(r.columns, []);
    assert.equal([...page.matchAll(/<tr data-clause=/g)].length, CLAUSES.length);
    assert.match(page, /No run directory with Allure results/);
  });
});
