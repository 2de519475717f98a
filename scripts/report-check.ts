// `npm run report:check`: opens what `npm run report` wrote in a real browser (Debian's chromium,
// driven by Playwright) and checks what a person would see there:
//  - the overview shows as many test cases as there are scenario results in reports/allure-results;
//  - the Behaviors tab groups by feature, then by clause stories titled "C14 — <title>";
//  - a passing case page shows its clauses' documented sentences, its call-flow diagram in the
//    test body, and the evidence attachments under Tear down;
//  - a failing one (a run with the fault terminated-before-empty, injected here) shows the diagram
//    with the exchange that broke the expectation in red and the failure message under it;
//  - reports/conformance.html and reports/allure-report.html open from file:// with no network,
//    the matrix with one row per catalog clause;
//  - and, without a browser, that no credential reached any file of the results or the reports, and
//    that no test case shows as passed while its Before/After hook failed.
// Screenshots go to reports/screenshots/. Prints one PASS/FAIL line with reasons; exits 1 on
// failure, 2 when /usr/bin/chromium is missing.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, resolve, sep } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright';
import { CLAUSES } from '../features/clauses';
import { MOCK_DEFAULTS } from '../support/config';
import { clauseTitle } from '../support/report/clause-text';
import { embeddedFiles } from '../support/report/allure-links';
import { checkConformancePage, checkSingleFile, failedScenarioWithDiagram, missingClauseText, openCaseDiagram, type Findings } from './lib/report-pages';
import { runProcess } from './lib/exec';
import { credentialNeedles, findSecrets, walk } from './lib/secrets';
import type { StageResult } from './lib/stage';

const ROOT = resolve(__dirname, '..');
const RESULTS_DIR = join(ROOT, 'reports', 'allure-results');
const REPORT_DIR = join(ROOT, 'reports', 'allure-report');
const SINGLE_FILE = join(ROOT, 'reports', 'allure-report.html');
const CONFORMANCE = join(ROOT, 'reports', 'conformance.html');
const HISTORY_DIR = join(ROOT, 'reports', 'allure-history');
/** The injected failing run and its report. */
const WORK_DIR = join(ROOT, 'reports', 'report-check');
const FAULT_RESULTS = join(WORK_DIR, 'fault-results');
const FAULT_REPORT = join(WORK_DIR, 'fault-report.html');
/** A fault whose failure is an ordering one: the diagram must mark the callback that came out of order. */
const INJECTED_FAULT = 'terminated-before-empty';
const OUT_DIR = join(ROOT, 'reports', 'screenshots');

export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_INSTALL = 'apt-get update && apt-get install -y chromium';
const CHROMIUM_ARGS = ['--no-sandbox', '--headless', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
/** The story every run must show: a clause with scenarios in several features. */
const EXPECTED_STORY = 'C14';
const EVIDENCE = ['timeline.txt', 'rest-exchanges.json'];
const UI_TIMEOUT_MS = 30_000;

export interface ReportCheckResult {
  ok: boolean;
  detail: string[];
}

export function chromiumMissing(): boolean {
  return !existsSync(CHROMIUM);
}

export async function reportCheck(): Promise<ReportCheckResult> {
  const failures: string[] = [];
  const notes: string[] = [];

  // The failing run first, so the credential scan below covers its results and report too.
  const injected = await injectFailure();
  if (injected) failures.push(injected);
  const scanned = [RESULTS_DIR, REPORT_DIR, SINGLE_FILE, CONFORMANCE, HISTORY_DIR, WORK_DIR].filter((p) => existsSync(p));
  const leaks = scanForSecrets(scanned);
  if (leaks.length) failures.push(...leaks.map((l) => `secret in report files: ${l}`));
  else notes.push(`no credentials in ${scanned.reduce((n, p) => n + countFiles(p), 0)} files of the results, both reports, the history, conformance.html and the injected failing run`);

  const hidden = hookFailuresShownAsPassed();
  if (hidden.length) {
    failures.push(`${hidden.length} test case(s) show as passed although a Before/After hook failed (only Set up/Tear down says so): ${hidden.slice(0, 5).join('; ')}${hidden.length > 5 ? '; ...' : ''}`);
  }

  // Without these there is nothing to open in a browser.
  const missing: string[] = [];
  const results = readResults();
  if (results.files === 0) missing.push('reports/allure-results has no *-result.json: run `npm test` first');
  else if (results.distinct !== results.files) {
    notes.push(`${results.files} result files hold ${results.distinct} distinct test cases (results of older runs show as retries)`);
  }
  if (!existsSync(join(REPORT_DIR, 'index.html'))) missing.push('reports/allure-report/index.html is missing: run `npm run report` first');
  if (chromiumMissing()) missing.push(`${CHROMIUM} is missing: install it with \`${CHROMIUM_INSTALL}\``);
  if (missing.length) return { ok: false, detail: [...failures, ...missing, ...notes] };

  mkdirSync(OUT_DIR, { recursive: true });
  const server = await serve(REPORT_DIR);
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  let browser: Browser | undefined;
  try {
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    page.setDefaultTimeout(UI_TIMEOUT_MS);
    // The report is served from this machine only; anything it asks of another host is refused.
    const blocked = new Set<string>();
    await page.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith(base) || url.startsWith('data:')) return route.continue();
      blocked.add(url.replace(/[?#].*$/, ''));
      return route.abort();
    });
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message.split('\n')[0]));

    await step(failures, 'overview', () => checkOverview(page, base, results.distinct, notes, failures));
    const story = await step(failures, 'behaviors', () => checkBehaviors(page, base, notes, failures));
    if (story) await step(failures, 'test case', () => checkTestCase(page, story, notes, failures));
    const found: Findings = { failures, notes };
    await step(failures, 'failing diagram', () => checkFailingDiagram(browser!, found));
    await step(failures, 'conformance page', () => checkConformancePage(browser!, CONFORMANCE, OUT_DIR, found));
    await step(failures, 'single file', () => checkSingleFile(browser!, SINGLE_FILE, results.distinct, OUT_DIR, found));

    if (pageErrors.length) failures.push(`the report page raised errors: ${[...new Set(pageErrors)].join('; ')}`);
    if (blocked.size) notes.push(`refused requests to other hosts: ${[...blocked].join(', ')}`);
  } catch (e) {
    failures.push(`browser: ${(e as Error).message.split('\n')[0]}`);
  } finally {
    await browser?.close().catch(() => undefined);
    await new Promise<void>((r) => server.close(() => r()));
  }
  return { ok: failures.length === 0, detail: [...failures, ...notes] };
}

async function step<T>(failures: string[], name: string, fn: () => Promise<T>): Promise<T | undefined> {
  try {
    return await fn();
  } catch (e) {
    failures.push(`${name}: ${(e as Error).message.split('\n')[0]}`);
    return undefined;
  }
}

/** The overview's summary widget: "<N> test cases". */
async function checkOverview(page: Page, base: string, expected: number, notes: string[], failures: string[]): Promise<void> {
  await page.goto(`${base}index.html#`);
  const title = page.locator('.summary-widget__stats .splash__title');
  await title.waitFor();
  const subtitle = (await page.locator('.summary-widget__stats .splash__subtitle').innerText()).trim();
  const shown = Number((await title.innerText()).trim());
  // Let the other widgets (suites, environment, features by stories) finish before the picture.
  await page.waitForLoadState('networkidle').catch(() => undefined);
  await page.screenshot({ path: join(OUT_DIR, 'overview.png'), fullPage: true });
  if (subtitle !== 'test cases') failures.push(`overview: summary says "${shown} ${subtitle}", not "... test cases"`);
  if (shown !== expected) failures.push(`overview shows ${shown} test cases, allure-results has ${expected}`);
  else notes.push(`overview shows ${shown} test cases, as many as allure-results holds`);
}

/**
 * Behaviors tab: epic (if any) > feature > story, stories named after clause ids. Every group is
 * expanded; the groups that hold test cases directly are the stories. Returns the one to open.
 */
async function checkBehaviors(page: Page, base: string, notes: string[], failures: string[]): Promise<{ name: string; uid: string } | undefined> {
  await page.goto(`${base}index.html#behaviors`);
  await page.locator('.tree__content .node__title').first().waitFor();
  const collapsed = page.locator('.tree__content .node[data-node-kind="group"]:not(.node__expanded) > .node__title');
  for (let i = 0; i < 2000 && (await collapsed.count()) > 0; i++) await collapsed.first().click();
  const tree = await page.evaluate(() => {
    const nameOf = (g: Element | null | undefined) => g?.querySelector(':scope > .node__title .node__name')?.textContent?.trim() ?? '';
    const groups = Array.from(document.querySelectorAll('.tree__content .node[data-node-kind="group"]'));
    const stories = groups
      .filter((g) => g.querySelector(':scope > .node__children > a.node__leaf'))
      .map((g) => ({ name: nameOf(g), uid: g.getAttribute('data-node-uid') ?? '', parent: nameOf(g.parentElement?.closest('.node[data-node-kind="group"]')) }));
    return { groups: groups.length, leaves: document.querySelectorAll('.tree__content a.node__leaf').length, stories };
  });
  const distinct = [...new Set(tree.stories.map((s) => s.name))].sort();
  const features = new Set(tree.stories.map((s) => s.parent));
  if (!tree.stories.length) throw new Error(`no group of test cases in ${tree.groups} groups`);
  const target = tree.stories.find((s) => s.name === clauseTitle(EXPECTED_STORY));
  if (target) await page.locator(`.tree__content .node[data-node-uid="${target.uid}"] > .node__title`).scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(OUT_DIR, 'behaviors.png') });
  const titled = new Set(CLAUSES.map((c) => clauseTitle(c.id)));
  const unknown = distinct.filter((s) => !titled.has(s));
  if (unknown.length) failures.push(`behaviors: test cases grouped under names that are no catalog clause's "Cxx — title": ${unknown.join(', ')}`);
  if (!target) failures.push(`behaviors: no story "${clauseTitle(EXPECTED_STORY)}" among ${distinct.length}: ${distinct.join(' | ')}`);
  notes.push(`behaviors lists ${distinct.length} distinct clause stories, titled with their sentence (${tree.stories.length} entries under ${features.size} features, ${tree.leaves} test entries)`);
  return target && { name: target.name, uid: target.uid };
}

/** Opens the first test case of `story`: the evidence under Tear down, the clause sentences, the call-flow diagram in the last step. */
async function checkTestCase(page: Page, story: { name: string; uid: string }, notes: string[], failures: string[]): Promise<void> {
  const leaf = page.locator(`.tree__content .node[data-node-uid="${story.uid}"] > .node__children > a.node__leaf`).first();
  await leaf.scrollIntoViewIfNeeded();
  await leaf.click();
  const testResult = page.locator('.test-result');
  await testResult.waitFor();
  const name = (await testResult.locator('.test-result__name').first().innerText()).trim();
  await testResult.getByText('Tear down', { exact: true }).click();
  // Only what is on screen: Set up has an attachment of its own, collapsed.
  const rows = testResult.locator('.attachment-row__name').filter({ visible: true });
  await rows.first().waitFor();
  const attachments = (await rows.allInnerTexts()).map((s) => s.trim());
  const missing = EVIDENCE.filter((a) => !attachments.includes(a));
  if (missing.length) failures.push(`test case "${name}": attachments ${attachments.join(', ') || '(none)'} lack ${missing.join(', ')}`);
  else {
    // Open the timeline, as a person reading a failure would, and check it shows all of it: the
    // preview loads by XHR and renders in pieces, so wait until its last line (read from the
    // report's own copy of the attachment) is on screen.
    const row = testResult.locator('.attachment-row').filter({ has: page.locator('.attachment-row__name', { hasText: /^timeline\.txt$/ }) }).filter({ visible: true }).first();
    const uid = await row.getAttribute('data-uid');
    const source = uid ? readdirSync(join(REPORT_DIR, 'data', 'attachments')).find((f) => f.startsWith(`${uid}.`)) : undefined;
    const expected = source ? readFileSync(join(REPORT_DIR, 'data', 'attachments', source), 'utf8').trim() : '';
    await row.click();
    const lastLine = expected.split('\n').pop() ?? '';
    const preview = testResult.locator('.attachment-row__content').filter({ hasText: lastLine || /\S/ }).first();
    const text = await preview
      .waitFor({ timeout: 10_000 })
      .then(() => preview.innerText())
      .catch(() => '');
    if (!expected) failures.push(`test case "${name}": timeline.txt is not in the report's attachments (data-uid ${uid ?? 'missing'})`);
    else if (!text.trim()) failures.push(`test case "${name}": timeline.txt opens without its last line "${lastLine}"`);
    notes.push(`test case "${name}" (story ${story.name}) lists ${attachments.join(', ')}; timeline.txt shows ${(text.match(/^\d\d:\d\d:\d\d/gm) ?? []).length} timed event(s)`);
  }
  await page.screenshot({ path: join(OUT_DIR, 'test-case-evidence.png'), fullPage: true });
  // The body first: the clause sentences, then the call-flow diagram of the last step.
  const { description, diagram } = await openCaseDiagram(page);
  const missingText = missingClauseText(description, [EXPECTED_STORY]);
  if (missingText.length) failures.push(`test case "${name}": the description lacks the documented sentence of ${missingText.join(', ')}`);
  if (diagram.rows < 4) failures.push(`test case "${name}": the call-flow diagram shows ${diagram.rows} rows`);
  if (diagram.failedRows > 0 || !diagram.verdict.includes('passed')) failures.push(`test case "${name}" passed, but its diagram marks ${diagram.failedRows} rows failed ("${diagram.verdict.trim()}")`);
  notes.push(`passing case "${name}" shows ${EXPECTED_STORY}'s sentence and a call-flow diagram of ${diagram.rows} rows in its last step`);
  // The report scrolls inside its own pane, so a full-page picture would stop at the fold: the
  // pictures are taken with the diagram scrolled into view.
  const diagramFrame = page.locator('iframe.attachment-preview_html').first();
  await diagramFrame.scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(OUT_DIR, 'case-page.png') });
  await diagramFrame.screenshot({ path: join(OUT_DIR, 'diagram-passing.png') });
}

/**
 * A run of the C14 scenarios with a fault that sends terminated before empty, and its single-file
 * report: the failure the diagram must explain. Returns why it could not be made, if it could not.
 */
async function injectFailure(): Promise<string | undefined> {
  rmSync(FAULT_RESULTS, { recursive: true, force: true });
  mkdirSync(WORK_DIR, { recursive: true });
  const env: NodeJS.ProcessEnv = { ...process.env, HARNESS_MODE: 'mock', HARNESS_FAULT: INJECTED_FAULT, HARNESS_TIMEOUT_MS: '1500', ALLURE_RESULTS_DIR: FAULT_RESULTS };
  delete env.HARNESS_KEEP_RESULTS;
  const cucumber = join(ROOT, 'node_modules', '@cucumber', 'cucumber', 'bin', 'cucumber.js');
  const run = await runProcess(process.execPath, [cucumber, '--tags', `@clause:${EXPECTED_STORY}`], env);
  if (!/\d+ failed/.test(run.output)) return `the run with fault ${INJECTED_FAULT} failed no scenario (exit ${run.code}): ${run.output.trim().split('\n').slice(-3).join(' | ')}`;
  const tmp = join(WORK_DIR, 'single-file');
  rmSync(tmp, { recursive: true, force: true });
  const allure = join(ROOT, 'node_modules', '.bin', 'allure');
  const gen = await runProcess(allure, ['generate', FAULT_RESULTS, '--clean', '--single-file', '-o', tmp], { ...process.env, ALLURE_NO_ANALYTICS: 'true' });
  if (gen.code !== 0 || !existsSync(join(tmp, 'index.html'))) return `allure generate of the injected failing run exited ${gen.code}: ${gen.output.trim().split('\n').slice(-3).join(' | ')}`;
  writeFileSync(FAULT_REPORT, readFileSync(join(tmp, 'index.html')));
  rmSync(tmp, { recursive: true, force: true });
  return undefined;
}

/** The failing scenario's case page (from the injected run's single file) and its diagram. */
async function checkFailingDiagram(browser: Browser, out: Findings): Promise<void> {
  const failed = failedScenarioWithDiagram(FAULT_RESULTS);
  if (!failed || !existsSync(FAULT_REPORT)) {
    out.failures.push(`no failed scenario with a call-flow diagram in the run with fault ${INJECTED_FAULT} (${FAULT_RESULTS})`);
    return;
  }
  const cases = [...embeddedFiles(readFileSync(FAULT_REPORT, 'utf8'))].filter(([path]) => path.startsWith('data/test-cases/')).map(([, json]) => JSON.parse(json) as { uid: string; name: string });
  const uid = cases.find((c) => c.name === failed.name)?.uid;
  if (!uid) throw new Error(`"${failed.name}" is not in ${FAULT_REPORT}`);
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  try {
    await page.goto(`file://${FAULT_REPORT}#testresult/${uid}`);
    const { diagram } = await openCaseDiagram(page, failed.step);
    // The message as the step failed with it, minus the error's name and the callback log the diagram's rows replace.
    const headline = failed.message.replace(/^\w*Error: /, '').split('\n')[0].trim();
    if (diagram.failedRows === 0) out.failures.push(`failing case "${failed.name}": its diagram marks no exchange`);
    if (!diagram.failureText.replace(/\s+/g, ' ').includes(headline)) out.failures.push(`failing case "${failed.name}": the diagram does not repeat the failure "${headline}" (it says "${diagram.failureText.slice(0, 200)}")`);
    if (!diagram.verdict.includes('failed')) out.failures.push(`failing case "${failed.name}": the diagram's verdict is "${diagram.verdict.trim()}"`);
    out.notes.push(`failing case "${failed.name}" (fault ${INJECTED_FAULT}) opens from file:// and its diagram marks ${diagram.failedRows} row(s) red with "${headline}" under them`);
    const preview = page.locator('iframe.attachment-preview_html').first();
    await preview.scrollIntoViewIfNeeded();
    // Scrolling the report's pane re-renders the preview: wait for the diagram again before the picture.
    await page.frameLocator('iframe.attachment-preview_html').first().locator('svg g.row.failed').first().waitFor();
    await page.screenshot({ path: join(OUT_DIR, 'case-page-failing.png') });
  } finally {
    await page.close();
  }
  // The diagram on its own, at its natural size, as the README shows it.
  const alone = await browser.newPage({ viewport: { width: 1300, height: 800 } });
  try {
    await alone.goto(`file://${failed.diagram}`);
    await alone.screenshot({ path: join(OUT_DIR, 'diagram-failing.png'), fullPage: true });
  } finally {
    await alone.close();
  }
}

/**
 * The `report` stage of `npm run check`: the suite with the default results dir (not the per-run
 * dirs the other stages use), `npm run report`, then the browser check. It starts from an empty
 * reports/allure-results so the report holds exactly this run.
 */
export async function reportStage(workDir: string): Promise<StageResult> {
  const started = Date.now();
  const stage = 'report';
  const java = await runProcess('java', ['-version']);
  const missing = [
    ...(chromiumMissing() ? [`${CHROMIUM} is missing: install it with \`${CHROMIUM_INSTALL}\``] : []),
    ...(java.code !== 0 ? ['java is missing (the Allure CLI needs it): install it with `apt-get install -y default-jre-headless`'] : []),
  ];
  if (missing.length) {
    // A newcomer's `npm run check` should not fail on a system package; CI installs both and must run this.
    if (process.env.CI) return { stage, ok: false, detail: missing };
    return { stage, ok: true, skipped: true, detail: [...missing, 'skipped outside CI (set CI=true to make this a failure; `bash .ci/run` installs both)'] };
  }
  rmSync(RESULTS_DIR, { recursive: true, force: true });
  const env = { ...process.env };
  delete env.ALLURE_RESULTS_DIR;
  const cucumber = await runProcess(process.execPath, [join(ROOT, 'node_modules', '@cucumber', 'cucumber', 'bin', 'cucumber.js')], env);
  const npmCli = process.env.npm_execpath;
  const generate = npmCli?.endsWith('.js') ? await runProcess(process.execPath, [npmCli, 'run', 'report'], env) : await runProcess('npm', ['run', 'report'], env);
  mkdirSync(workDir, { recursive: true });
  writeFileSync(join(workDir, 'report-stage.log'), `$ cucumber-js (exit ${cucumber.code})\n${cucumber.output}\n$ npm run report (exit ${generate.code})\n${generate.output}\n`);
  const summary = cucumber.output.match(/^\d+ scenarios? \(.*\)$/m)?.[0] ?? `cucumber exited ${cucumber.code}`;
  if (generate.code !== 0) {
    return { stage, ok: false, detail: [summary, `npm run report exited ${generate.code}: ${generate.output.trim().split('\n').slice(-5).join(' | ')}`] };
  }
  const check = await reportCheck();
  return { stage, ok: check.ok, detail: [`${summary}; report generated; checked in a browser (${((Date.now() - started) / 1000).toFixed(1)} s)`, ...check.detail] };
}


function readResults(): { files: number; distinct: number } {
  if (!existsSync(RESULTS_DIR)) return { files: 0, distinct: 0 };
  const files = readdirSync(RESULTS_DIR).filter((f) => f.endsWith('-result.json'));
  const ids = new Set<string>();
  for (const f of files) {
    try {
      const r = JSON.parse(readFileSync(join(RESULTS_DIR, f), 'utf8')) as { historyId?: string; uuid?: string };
      ids.add(r.historyId ?? r.uuid ?? f);
    } catch {
      ids.add(f);
    }
  }
  return { files: files.length, distinct: ids.size };
}

/**
 * allure-cucumberjs takes a test's status from its steps alone: a failing Before/After hook (the
 * After hook's "problem(s) that no step asserted on") lands in the container's fixture while the
 * test case still says passed. Such a report would show green what cucumber counted red.
 */
function hookFailuresShownAsPassed(): string[] {
  if (!existsSync(RESULTS_DIR)) return [];
  const files = readdirSync(RESULTS_DIR);
  const read = <T>(f: string): T | undefined => {
    try {
      return JSON.parse(readFileSync(join(RESULTS_DIR, f), 'utf8')) as T;
    } catch {
      return undefined;
    }
  };
  type Fixture = { status?: string; statusDetails?: { message?: string } };
  const failedFixture = new Map<string, string>();
  for (const f of files.filter((x) => x.endsWith('-container.json'))) {
    const c = read<{ children?: string[]; befores?: Fixture[]; afters?: Fixture[] }>(f);
    const bad = [...(c?.befores ?? []), ...(c?.afters ?? [])].find((x) => x.status === 'failed' || x.status === 'broken');
    if (bad) for (const child of c?.children ?? []) failedFixture.set(child, (bad.statusDetails?.message ?? bad.status ?? '').split('\n')[0]);
  }
  if (!failedFixture.size) return [];
  const hidden: string[] = [];
  for (const f of files.filter((x) => x.endsWith('-result.json'))) {
    const r = read<{ uuid?: string; name?: string; status?: string }>(f);
    if (r?.uuid && r.status === 'passed' && failedFixture.has(r.uuid)) hidden.push(`"${r.name}": ${failedFixture.get(r.uuid)!.slice(0, 160)}`);
  }
  return hidden;
}

/** The credentials the mock mode uses, in every shape a leak would take. */
export function scanForSecrets(dirs: string[]): string[] {
  return findSecrets(dirs, credentialNeedles(MOCK_DEFAULTS.accountId, MOCK_DEFAULTS.apiKey, MOCK_DEFAULTS.signingSecret));
}

function countFiles(dir: string): number {
  return walk(dir).length;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.csv': 'text/csv; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
};

/** A static file server for `root` on 127.0.0.1 and a free port (Allure loads its data by XHR). */
function serve(root: string): Promise<Server> {
  const server = createServer((req, res) => {
    let path: string;
    try {
      path = decodeURIComponent(new URL(req.url ?? '/', 'http://127.0.0.1').pathname);
    } catch {
      res.writeHead(400).end();
      return;
    }
    const file = resolve(root, `.${path.endsWith('/') ? `${path}index.html` : path}`);
    if (file !== root && !file.startsWith(root + sep)) {
      res.writeHead(403).end();
      return;
    }
    if (!existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream', 'cache-control': 'no-store' });
    res.end(readFileSync(file));
  });
  return new Promise((resolveServer, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolveServer(server));
  });
}

if (require.main === module) {
  if (chromiumMissing()) {
    console.error(`FAIL report-check: ${CHROMIUM} is missing. Install Debian's chromium with: ${CHROMIUM_INSTALL}`);
    process.exit(2);
  }
  reportCheck().then(
    (r) => {
      console.log(`${r.ok ? 'PASS' : 'FAIL'} report-check: ${r.detail.join('; ')}`);
      process.exit(r.ok ? 0 : 1);
    },
    (e: Error) => {
      console.log(`FAIL report-check: ${e.message}`);
      process.exit(1);
    },
  );
}
