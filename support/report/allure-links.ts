// Links into the single-file Allure report (reports/allure-report.html#testresult/<uid>).
//
// Allure 2 (checked with 2.46.1) gives each test case a random uid at every `allure generate`:
// two generations of the same results give different uids, so the folder report's
// data/test-cases/<uid>.json names do NOT match the single file's. A link into the single file
// must therefore use the uids embedded in that very file. The single file embeds every data file
// as base64 in calls `d('data/test-cases/<uid>.json','<base64 json>')`; the test-case JSON has no
// historyId, but the embedded history/history.json maps each historyId to its history items,
// newest first, and the newest item's uid is this generation's test case.
import { readFileSync } from 'node:fs';

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

/**
 * historyId → test-case uid in the single-file report at `singleFile` (a path), for links of the
 * form `allure-report.html#testresult/<uid>`. The historyId is the one in the *-result.json files
 * (allure-cucumberjs derives it from the scenario and its parameters), stable across runs.
 */
export function testCaseLinks(singleFile: string): Map<string, string> {
  const files = embeddedFiles(readFileSync(singleFile, 'utf8'));
  const uids = new Set<string>();
  for (const path of files.keys()) {
    const m = /^data\/test-cases\/([^/]+)\.json$/.exec(path);
    if (m) uids.add(m[1]);
  }
  const history = JSON.parse(files.get('history/history.json') ?? '{}') as Record<string, HistoryEntry>;
  const links = new Map<string, string>();
  for (const [historyId, entry] of Object.entries(history)) {
    // Items from earlier reports (copied in as history) name uids this file does not hold.
    const uid = entry.items?.map((i) => i.uid).find((u): u is string => !!u && uids.has(u));
    if (uid) links.set(historyId, uid);
  }
  return links;
}
