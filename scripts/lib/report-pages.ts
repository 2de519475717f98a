// What `npm run report:check` looks at in the browser, page by page. Each check reads the page as
// a person would (the case page, the call-flow diagram in it, the conformance page, the single
// file opened from disk), pushes what is wrong to `failures` and what it saw to `notes`, and
// saves a screenshot under reports/screenshots/.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, FrameLocator, Page } from 'playwright';
import { CLAUSES } from '../../features/clauses';
import { clauseTitle } from '../../support/report/clause-text';

export interface Findings {
  failures: string[];
  notes: string[];
}

/** The diagram of the step that holds it: its rows, the failed ones, and the text of the failure note. */
export interface DiagramView {
  rows: number;
  failedRows: number;
  failureText: string;
  verdict: string;
}

export async function readDiagram(frame: FrameLocator): Promise<DiagramView> {
  await frame.locator('svg').first().waitFor();
  return {
    rows: await frame.locator('svg g.row').count(),
    failedRows: await frame.locator('svg g.row.failed').count(),
    failureText: (await frame.locator('svg text.note-text.failed').allTextContents()).join(' '),
    verdict: (await frame.locator('.verdict').first().textContent()) ?? '',
  };
}

/**
 * On an open case page: the clause sentences in the description, then the step that carries the
 * diagram opened and its preview read. `stepText` names the step (the failing one); without it the
 * step whose hint counts attachments is opened.
 */
export async function openCaseDiagram(page: Page, stepText?: string): Promise<{ description: string; diagram: DiagramView }> {
  const testResult = page.locator('.test-result');
  await testResult.waitFor();
  const description = (await testResult.locator('.description__text').first().innerText().catch(() => '')).trim();
  const step = (stepText ? testResult.getByText(stepText, { exact: false }) : testResult.getByText(/\d+ attachments?/)).filter({ visible: true }).first();
  await step.click();
  await testResult.getByText('call-flow.html', { exact: true }).filter({ visible: true }).first().click();
  const frame = page.frameLocator('iframe.attachment-preview_html').first();
  const diagram = await readDiagram(frame);
  return { description, diagram };
}

/** The clause sentences a case page must show: every clause of the scenario, titled and with its text. */
export function missingClauseText(description: string, clauseIds: readonly string[]): string[] {
  const flat = description.replace(/\s+/g, ' ');
  return clauseIds.flatMap((id) => {
    const clause = CLAUSES.find((c) => c.id === id);
    if (!clause) return [`${id} (not in the catalog)`];
    const title = clauseTitle(id).replace(/\s+/g, ' ');
    return flat.includes(clause.text.replace(/\s+/g, ' ')) && flat.replace(/\s*—\s*/g, '—').includes(title.replace(/\s*—\s*/g, '—')) ? [] : [id];
  });
}

/** A page that may load nothing but file:// and data: URLs; everything else is refused and counted. */
export async function offlinePage(browser: Browser): Promise<{ page: Page; refused: Set<string> }> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  const refused = new Set<string>();
  await page.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith('file:') || url.startsWith('data:') || url.startsWith('blob:')) return route.continue();
    refused.add(url.replace(/[?#].*$/, ''));
    return route.abort();
  });
  return { page, refused };
}

/** reports/conformance.html from disk: one matrix row per catalog clause, in catalog order. */
export async function checkConformancePage(browser: Browser, file: string, shots: string, out: Findings): Promise<void> {
  if (!existsSync(file)) {
    out.failures.push(`${file} is missing: npm run report writes it`);
    return;
  }
  const { page, refused } = await offlinePage(browser);
  try {
    await page.goto(`file://${file}`);
    const rows = await page.locator('#matrix tr[data-clause]').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-clause') ?? ''));
    const columns = await page.locator('#matrix thead tr.cols th').count();
    await page.screenshot({ path: join(shots, 'conformance.png') });
    const expected = CLAUSES.map((c) => c.id);
    if (JSON.stringify(rows) !== JSON.stringify(expected)) {
      out.failures.push(`conformance.html: matrix rows ${rows.join(' ') || '(none)'} are not the catalog's ${expected.length} clauses in order`);
    } else out.notes.push(`conformance.html opens from file:// with ${rows.length} rows, one per catalog clause${columns ? `, ${columns} run columns` : ''}`);
    if (refused.size) out.failures.push(`conformance.html asked for the network: ${[...refused].join(', ')}`);
  } finally {
    await page.close();
  }
}

/** The single-file report from disk: it must show as many test cases as the results hold. */
export async function checkSingleFile(browser: Browser, file: string, expected: number, shots: string, out: Findings): Promise<void> {
  if (!existsSync(file)) {
    out.failures.push(`${file} is missing: npm run report writes it`);
    return;
  }
  const { page, refused } = await offlinePage(browser);
  try {
    await page.goto(`file://${file}#`);
    const title = page.locator('.summary-widget__stats .splash__title');
    await title.waitFor();
    const shown = Number((await title.innerText()).trim());
    await page.screenshot({ path: join(shots, 'single-file.png') });
    if (shown !== expected) out.failures.push(`the single-file report shows ${shown} test cases from file://, the results hold ${expected}`);
    else out.notes.push(`the single-file report opens from file:// and shows ${shown} test cases`);
    if (refused.size) out.failures.push(`the single-file report asked for the network: ${[...refused].join(', ')}`);
  } finally {
    await page.close();
  }
}

/** A failed result with a call-flow diagram in `resultsDir`: its name, failing step, message and diagram file. */
export function failedScenarioWithDiagram(resultsDir: string): { name: string; step: string; message: string; diagram: string } | undefined {
  if (!existsSync(resultsDir)) return undefined;
  type Step = { name?: string; status?: string; attachments?: { name: string; source: string }[]; steps?: Step[] };
  for (const f of readdirSync(resultsDir).filter((x) => x.endsWith('-result.json'))) {
    const r = JSON.parse(readFileSync(join(resultsDir, f), 'utf8')) as Step & { statusDetails?: { message?: string } };
    if (r.status !== 'failed') continue;
    const failing = (r.steps ?? []).find((s) => s.status === 'failed' || s.status === 'broken');
    const walk = (s: Step): { name: string; source: string }[] => [...(s.attachments ?? []), ...(s.steps ?? []).flatMap(walk)];
    const diagram = failing && walk(failing).find((a) => a.name === 'call-flow.html');
    if (failing?.name && diagram) return { name: r.name ?? f, step: failing.name, message: r.statusDetails?.message ?? '', diagram: join(resultsDir, diagram.source) };
  }
  return undefined;
}
