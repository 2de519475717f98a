// Links into the single-file Allure report (reports/allure-report.html#testresult/<uid>).
//
// Allure 2 (checked with 2.46.1) gives each test case a random uid at every `allure generate`:
// two generations of the same results give different uids, so the folder report's
// data/test-cases/<uid>.json names do NOT match the single file's. A link into the single file
// must therefore use the uids embedded in that very file. The single file embeds every data file
// as base64 in calls `d('data/test-cases/<uid>.json','<base64 json>')`. The test-case JSON carries
// no history id, but the embedded history/history.json maps each history key to its items, newest
// first, and the newest item's uid is this generation's test case.
//
// Allure 2.46 keys its history not by the results' `historyId` but by its own
// md5(testCaseId or fullName) + "." + md5(sorted "name:value" of the non-excluded parameters,
// joined by ","); allureHistoryKey() computes that (checked against all 80 results of the suite),
// so the map below is keyed by the `historyId` a reader finds in the *-result.json files.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { resultsDirOf } from '../results-dir';

const EMBEDDED = /\bd\('([^']+)','([A-Za-z0-9+/=]*)'\)/g;

/** The data files a single-file Allure report embeds, by path (e.g. "history/history.json"), decoded. */
export function embeddedFiles(html: string): Map<string, string> {
  const files = new Map<string, string>();
  for (const m of html.matchAll(EMBEDDED)) files.set(m[1], Buffer.from(m[2], 'base64').toString('utf8'));
  return files;
}

interface HistoryEntry {
  items?: { uid?: string }[];
}

/** The fields of an Allure *-result.json that identify a test case across runs. */
export interface ResultIdentity {
  historyId?: string;
  testCaseId?: string;
  fullName?: string;
  parameters?: { name?: string; value?: string; excluded?: boolean }[];
}

const md5 = (s: string) => createHash('md5').update(s, 'utf8').digest('hex');

/** The key Allure 2.46 files a result under in history/history.json (see the top of this file). */
export function allureHistoryKey(r: ResultIdentity): string {
  const params = [...new Set((r.parameters ?? []).filter((p) => p.excluded !== true && p.name).map((p) => `${p.name}:${p.value ?? '#___unknown_value___#'}`))].sort();
  return `${md5(r.testCaseId || r.fullName || '')}.${md5(params.join(','))}`;
}

/** Allure's history key → test-case uid, as embedded in the single-file report. */
export function embeddedTestCases(html: string): Map<string, string> {
  const files = embeddedFiles(html);
  const uids = new Set<string>();
  for (const path of files.keys()) {
    const m = /^data\/test-cases\/([^/]+)\.json$/.exec(path);
    if (m) uids.add(m[1]);
  }
  const history = JSON.parse(files.get('history/history.json') ?? '{}') as Record<string, HistoryEntry>;
  const byKey = new Map<string, string>();
  for (const [key, entry] of Object.entries(history)) {
    // Items from earlier reports (copied in as history) name uids this file does not hold.
    const uid = entry.items?.map((i) => i.uid).find((u): u is string => !!u && uids.has(u));
    if (uid) byKey.set(key, uid);
  }
  return byKey;
}

/**
 * historyId → test-case uid in the single-file report at `singleFile`, for links of the form
 * `allure-report.html#testresult/<uid>`. The historyId is the `historyId` of the *-result.json
 * files in `resultsDir` (allure-cucumberjs derives it from the scenario and its parameters, so it
 * is stable across runs); the single file must have been generated from those results.
 */
export function testCaseLinks(singleFile: string, resultsDir: string = resultsDirOf()): Map<string, string> {
  const byKey = embeddedTestCases(readFileSync(singleFile, 'utf8'));
  const links = new Map<string, string>();
  if (!existsSync(resultsDir)) return links;
  for (const f of readdirSync(resultsDir)) {
    if (!f.endsWith('-result.json')) continue;
    const r = JSON.parse(readFileSync(join(resultsDir, f), 'utf8')) as ResultIdentity;
    const uid = byKey.get(allureHistoryKey(r));
    if (r.historyId && uid) links.set(r.historyId, uid);
  }
  return links;
}
