// Run directories and their columns. A run directory is any directory under reports/ that directly
// holds Allure `*-result.json` files. One directory may hold several runs piled up (reports/
// allure-results keeps results until someone cleans it), even of different modes, variants or
// faults: a column is one (directory, mode, variant, fault) and keeps the newest result per
// scenario (historyId), so an old run never hides or doubles a newer one.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { AllureResult, type AllureStep, type Attachment } from './schemas';

/** Directories that hold reports, not results, or far too many files to walk. */
// bench/ and report-check/ hold scratch runs (timing, the injected failure): not evidence about the platform.
const SKIP_DIRS = /^(allure-report.*|allure-history|screenshots|node_modules|history|\.git|bench|report-check)$/;

export type Status = 'passed' | 'failed' | 'skipped';
export type Group = 'default' | 'variants' | 'faults' | 'live';
export const GROUPS: readonly Group[] = ['default', 'variants', 'faults', 'live'];

export interface Scenario {
  historyId: string;
  name: string;
  /** passed, failed (failed or broken: both mean the scenario did not hold), skipped */
  status: Status;
  /** Allure's own status, kept for titles (broken = an error outside an assertion). */
  rawStatus: string;
  message?: string;
  /** Catalog clause ids the scenario checks. */
  clauses: string[];
  /** Tags as Cucumber wrote them, e.g. `@fault:no-action-url`, `@mock-only`. */
  tags: string[];
  /** Top-level step texts with their keyword, for faults that select scenarios by step. */
  steps: string[];
  skipReason?: string;
  stop: number;
}

export interface Column {
  key: string;
  /** Full label, e.g. `fault-no-action-url` or `mock default · allure-results`. */
  label: string;
  /** What the rotated header shows: the label without the group's prefix. */
  short: string;
  group: Group;
  mode: string;
  variant: string;
  fault?: string;
  /** Run directory, relative to reportsDir. */
  dir: string;
  env: Record<string, string>;
  scenarios: Scenario[];
  /** Newest result's stop time (ms), 0 when unknown. */
  newest: number;
  /** A run with a deliberately bad setup (scripts/live-proof.ts): failing is its point. */
  badSetup?: string;
}

/** Self-check runs that prove the harness stops on a bad setup, by their label. */
const BAD_SETUPS: [RegExp, string][] = [
  [/^live-wrong-key$/, 'a wrong API key'],
  [/^live-wrong-secret$/, 'a wrong signing secret'],
  [/^live-unreachable$/, 'a public URL that does not reach the callback receiver'],
  [/^live-sigint$/, 'a run interrupted with SIGINT'],
];

export interface RunRead {
  columns: Column[];
  /** Result files that were not Allure results we understand (named, so the page can say so). */
  unreadable: string[];
  /** App-gating results seen in run directories, left out of the matrix on purpose. */
  appGateResults: number;
}

/** Every directory under `root` that directly holds `*-result.json` files, except those in `exclude` (absolute). */
export function findRunDirs(root: string, exclude: readonly string[] = []): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    if (entries.some((e) => e.isFile() && e.name.endsWith('-result.json'))) found.push(dir);
    for (const e of entries) if (e.isDirectory() && !SKIP_DIRS.test(e.name)) walk(join(dir, e.name));
  };
  if (existsSync(root)) walk(root);
  return found.filter((d) => !exclude.includes(d)).sort();
}

/** `key=value` lines; allure's environment.properties. */
export function readProperties(file: string): Record<string, string> {
  if (!existsSync(file)) return {};
  const out: Record<string, string> = {};
  for (const line of readFileSync(file, 'utf8').split(/\r?\n/)) {
    const m = /^\s*([^#=\s][^=]*?)\s*=\s*(.*)$/.exec(line);
    if (m) out[m[1]] = m[2].trim();
  }
  return out;
}

const labelValues = (r: AllureResult, name: string) => r.labels.filter((l) => l.name === name).map((l) => l.value);

/**
 * Clause ids from `clause` labels; results written before that label existed carry the clause in
 * `story` only, as `C14 — <title>` or the bare `C14`.
 */
export function clauseIdsOf(r: AllureResult): string[] {
  const explicit = labelValues(r, 'clause');
  const ids = explicit.length ? explicit : labelValues(r, 'story').map((s) => s.split(' — ')[0]);
  return [...new Set(ids.map((s) => s.trim()).filter(Boolean))];
}

/** The labels map `@fault:x` to a `tag` label `x` (cucumber.js); other tags keep their `@`. */
function tagsOf(r: AllureResult): string[] {
  return labelValues(r, 'tag').map((t) => (t.startsWith('@') ? t : `@fault:${t}`));
}

function attachmentsOf(r: AllureResult): Attachment[] {
  const out: Attachment[] = [...(r.attachments ?? [])];
  const walk = (steps: AllureStep[] | undefined) => {
    for (const s of steps ?? []) {
      out.push(...(s.attachments ?? []));
      walk(s.steps);
    }
  };
  walk(r.steps);
  return out;
}

/**
 * Why a scenario was skipped. Allure keeps no reason, but the Before hook of @mock-only/@live-only
 * attaches one ("skipped …"); without the attachment, the tag and the mode tell it.
 */
function skipReason(dir: string, r: AllureResult, mode: string, tags: string[]): string {
  for (const a of attachmentsOf(r)) {
    if (a.type && a.type !== 'text/plain') continue;
    try {
      const text = readFileSync(join(dir, a.source), 'utf8').trim();
      if (/^skipped\b/i.test(text)) return text.split('\n')[0];
    } catch {
      // attachment gone: fall back to the tags
    }
  }
  if (tags.includes('@mock-only') && mode === 'live') return 'needs the simulator (faults, variants or virtual time): @mock-only in live mode';
  if (tags.includes('@live-only') && mode !== 'live') return 'needs a live platform with real time (mock mode checks the claim exactly on virtual time): @live-only in mock mode';
  return `skipped in ${mode} mode (no reason recorded)`;
}

function toScenario(dir: string, r: AllureResult, mode: string): Scenario {
  const tags = tagsOf(r);
  const status: Status = r.status === 'passed' ? 'passed' : r.status === 'skipped' ? 'skipped' : 'failed';
  return {
    historyId: r.historyId,
    name: r.name,
    status,
    rawStatus: r.status,
    message: r.statusDetails?.message,
    clauses: clauseIdsOf(r),
    tags,
    steps: (r.steps ?? []).map((s) => s.name ?? '').filter((s) => s && s !== 'Attachment'),
    skipReason: status === 'skipped' ? skipReason(dir, r, mode, tags) : undefined,
    stop: r.stop ?? r.start ?? 0,
  };
}

function groupOf(mode: string, variant: string, fault: string | undefined): Group {
  if (mode === 'live') return 'live';
  if (fault) return 'faults';
  if (variant !== 'default') return 'variants';
  return 'default';
}

function configName(mode: string, variant: string, fault: string | undefined): string {
  return `${mode} ${fault ? `fault ${fault}` : variant}`;
}

/** Read every run directory under reportsDir into columns, ordered default | variants | faults | live. */
export function readRuns(reportsDir: string, exclude: readonly string[] = []): RunRead {
  const unreadable: string[] = [];
  let appGateResults = 0;
  const columns: Column[] = [];
  for (const dir of findRunDirs(reportsDir, exclude)) {
    const rel = relative(reportsDir, dir).split(sep).join('/') || '.';
    const env = readProperties(join(dir, 'environment.properties'));
    const byConfig = new Map<string, { mode: string; variant: string; fault?: string; newest: Map<string, Scenario> }>();
    for (const file of readdirSync(dir).filter((f) => f.endsWith('-result.json'))) {
      let r: AllureResult;
      try {
        r = AllureResult.parse(JSON.parse(readFileSync(join(dir, file), 'utf8')));
      } catch {
        unreadable.push(`${rel}/${file}`);
        continue;
      }
      // App gating tests an app against the simulator: not a statement about the platform.
      if (labelValues(r, 'epic').includes('App gate')) {
        appGateResults++;
        continue;
      }
      const mode = labelValues(r, 'mode')[0] ?? env.mode ?? 'mock';
      const variant = labelValues(r, 'variant')[0] ?? env.variants ?? 'default';
      const faultLabel = labelValues(r, 'fault')[0] ?? (env.fault && env.fault !== 'none' ? env.fault : undefined);
      const fault = faultLabel && faultLabel !== 'none' ? faultLabel : undefined;
      const key = `${mode}|${variant}|${fault ?? ''}`;
      const cfg = byConfig.get(key) ?? { mode, variant, fault, newest: new Map<string, Scenario>() };
      byConfig.set(key, cfg);
      const s = toScenario(dir, r, mode);
      const seen = cfg.newest.get(s.historyId);
      if (!seen || seen.stop < s.stop) cfg.newest.set(s.historyId, s);
    }
    const selfCheck = /^self-check\/allure\/[^/]+$/.test(rel) && byConfig.size === 1;
    for (const [key, cfg] of byConfig) {
      const scenarios = [...cfg.newest.values()].sort((a, b) => a.name.localeCompare(b.name));
      const group = groupOf(cfg.mode, cfg.variant, cfg.fault);
      // self-check labels (suite, fault-x, variant-x, live-wrong-key) say what the run was;
      // elsewhere the configuration and the directory do.
      const label = selfCheck ? rel.split('/').pop()! : `${configName(cfg.mode, cfg.variant, cfg.fault)} · ${rel}`;
      const short = selfCheck ? label.replace(/^(fault|variant)-/, '').replace(/^live-(?=.)/, '') : cfg.fault ? `${cfg.fault} · ${rel}` : label;
      const badSetup = selfCheck ? BAD_SETUPS.find(([re]) => re.test(label))?.[1] : undefined;
      // The live proof faults the stand-in FreeClimb, not the harness, so its results carry no
      // fault label; the self-check label (live-fault-<name>) names the fault.
      const fault = cfg.fault ?? (selfCheck ? /^live-fault-(.+)$/.exec(label)?.[1] : undefined);
      columns.push({
        key: `${rel}|${key}`,
        label,
        short,
        group,
        mode: cfg.mode,
        variant: cfg.variant,
        fault,
        dir: rel,
        env,
        scenarios,
        newest: Math.max(0, ...scenarios.map((s) => s.stop)),
        badSetup,
      });
    }
  }
  // The newest default run comes first: it is the one the head's totals describe.
  const rank = (c: Column) => GROUPS.indexOf(c.group);
  columns.sort((a, b) => rank(a) - rank(b) || (a.group === 'default' ? b.newest - a.newest : a.label.localeCompare(b.label)));
  return { columns, unreadable, appGateResults };
}
