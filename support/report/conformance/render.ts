// The page itself: head, how to read it, the clause × run matrix, live observations, app gating.
// Pure functions from the model to HTML; every text is escaped here and the result is scrubbed of
// credentials by the caller.
import type { Clause } from '../../../features/clauses';
import { FAULTS } from '../../simulator/faults';
import { VARIANT_AXES } from '../../simulator/variants';
import { type GateRead, shortUri } from './app-gate';
import { firstLine, type Cell, type CellState } from './cells';
import { renderClaims, type ClaimsRead } from './claims';
import { esc } from './html';
import type { ObservationsRead } from './observations';
import { GROUPS, type Column, type Group } from './runs';
import { CSS, SCRIPT } from './style';

export interface PageModel {
  now: Date;
  version: string;
  clauses: Clause[];
  columns: Column[];
  /** cells[clauseIndex][columnIndex] */
  cells: Cell[][];
  observations: ObservationsRead;
  /** Claim by claim: mock proof, live proof or why not live (optional: tests build pages without it). */
  claims?: ClaimsRead;
  gate: GateRead;
  notFound: string[];
  unreadable: string[];
  appGateResults: number;
  linkFor?: (historyId: string) => string | undefined;
}

const SYMBOL: Record<CellState, string> = { pass: '✓', fail: '✗', 'expected-fail': '●', skipped: '–', uncheckable: '∅', 'not-run': '·' };
const MEANING: Record<CellState, string> = {
  pass: 'passed',
  fail: 'fails unexpectedly (or, in a fault column, the fault went uncaught: “!”)',
  'expected-fail': 'caught: a fault turned this clause red, or a run with a deliberately bad setup was refused, as it should',
  skipped: 'skipped in this mode (reason on hover)',
  uncheckable: 'uncheckable: no scenario can observe it (reason on hover)',
  'not-run': 'no scenario of this clause ran in this column',
};
const GROUP_TITLE: Record<Group, string> = { default: 'default', variants: 'variants (other readings)', faults: 'faults (deliberate deviations)', live: 'live / other' };

/** The catalog's sources repeat one long path; the row shows it short, the title in full. */
const shortSource = (s: string) => s.replace(/reference\/freeclimb-conferences\.md/g, 'ref').replace(/seeds\//g, '');

const fmtDate = (d: Date) => d.toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC');

/** What a column means, for its header title and the column legend. */
export function columnMeaning(c: Column): string {
  const parts: string[] = [`${c.mode} mode`];
  if (c.variant !== 'default') {
    for (const setting of c.variant.split(',')) {
      const [axis, option] = setting.split('=');
      const def = (VARIANT_AXES as Record<string, { doc: string; ref: string }>)[axis];
      parts.push(def ? `reading ${option} of ${axis} (${def.ref}): ${def.doc}` : `variant ${setting}`);
    }
  }
  if (c.fault) {
    const def = (FAULTS as Record<string, { doc: string; breaks: readonly string[] }>)[c.fault];
    parts.push(def ? `fault ${c.fault}: ${def.doc}; breaks ${def.breaks.join(', ')}` : `fault ${c.fault} (not in faults.ts)`);
  }
  if (c.env.apiBaseUrl && c.mode === 'live') parts.push(`API ${c.env.apiBaseUrl}`);
  if (c.env.node) parts.push(`node ${c.env.node}`);
  parts.push(`results in ${c.dir}`);
  return parts.join(' · ');
}

function scenarioList(cell: Cell, max = 8): string {
  const lines = cell.scenarios.slice(0, max).map((s) => `${s.status === 'failed' ? `✗ ${s.rawStatus}` : s.status === 'passed' ? '✓ passed' : '– skipped'}: ${s.name}`);
  if (cell.scenarios.length > max) lines.push(`…and ${cell.scenarios.length - max} more`);
  return lines.join('\n');
}

function cellHtml(m: PageModel, cell: Cell, col: Column, clause: Clause, groupStart: boolean): string {
  const title = `${clause.id} × ${col.label}\n${cell.reason}${cell.scenarios.length ? `\n\n${scenarioList(cell)}` : ''}`;
  const symbol = cell.missed ? '!' : SYMBOL[cell.state];
  const href = cell.target && m.linkFor?.(cell.target.historyId);
  const inner = href ? `<a href="${esc(href)}">${symbol}</a>` : `<span>${symbol}</span>`;
  return `<td class="c${groupStart ? ' gs' : ''}" data-state="${cell.state}" title="${esc(title)}">${inner}</td>`;
}

function head(m: PageModel): string {
  const cols = m.columns;
  const def = cols.find((c) => c.group === 'default');
  const count = (st: string) => def?.scenarios.filter((s) => s.status === st).length ?? 0;
  const flat = m.cells.flat();
  const unexpected = flat.filter((c) => c.state === 'fail').length;
  const faultCols = cols.filter((c) => c.group === 'faults');
  const caught = faultCols.filter((c) => m.cells.some((row) => row[cols.indexOf(c)].state === 'expected-fail')).length;
  const modes = [...new Set(cols.map((c) => c.mode))];
  const urls = new Map<string, Set<string>>();
  for (const c of cols) if (c.env.apiBaseUrl) urls.set(c.env.apiBaseUrl, (urls.get(c.env.apiBaseUrl) ?? new Set()).add(c.mode));
  const newest = Math.max(0, ...cols.map((c) => c.newest));
  const byGroup = GROUPS.map((g) => `${cols.filter((c) => c.group === g).length} ${g}`).join(', ');
  const totals = [
    `<li><b>${m.clauses.length}</b> clauses</li>`,
    `<li><b>${cols.length}</b> columns <span class="meta">(${esc(byGroup)})</span></li>`,
    def
      ? `<li title="${esc(def.label)}">default column: <b>${count('passed')}</b> passed · <b>${count('failed')}</b> failed · <b>${count('skipped')}</b> skipped <span class="meta">(${def.scenarios.length} scenarios)</span></li>`
      : '<li class="bad">no mock default run found</li>',
    `<li class="${unexpected ? 'bad' : cols.length ? 'good' : ''}"><b>${unexpected}</b> cells fail unexpectedly</li>`,
    faultCols.length ? `<li class="${caught === faultCols.length ? 'good' : 'bad'}"><b>${caught}/${faultCols.length}</b> faults caught</li>` : '',
  ].join('');
  const facts: [string, string][] = [
    ['generated', fmtDate(m.now)],
    ['newest result', newest ? fmtDate(new Date(newest)) : 'none'],
    ['harness version', m.version],
    ['mode(s)', modes.join(', ') || 'none'],
    ['API base URL', [...urls].map(([u, ms]) => `${u} (${[...ms].join(', ')})`).join('; ') || 'not recorded'],
  ];
  return `<header><h1>FreeClimb conference conformance</h1>
<dl class="facts">${facts.map(([k, v]) => `<dt>${esc(k)}</dt><dd>${esc(v)}</dd>`).join('')}</dl>
<ul class="totals">${totals}</ul>
${m.notFound.length ? `<p class="missing">Not found: ${m.notFound.map(esc).join('; ')}.</p>` : ''}</header>`;
}

function howTo(): string {
  const states: CellState[] = ['pass', 'fail', 'expected-fail', 'skipped', 'uncheckable', 'not-run'];
  return `<section class="howto"><h2>How to read this page</h2>
<p>Each row is one clause of the documentation (features/clauses.ts); each column is one run of the suite. The first column is the newest run in mock mode with the default readings. <b>Variants</b> rerun the suite under another reading the docs allow, and must stay green. <b>Faults</b> rerun it against a simulator that deliberately breaks a documented behaviour: there a red clause is good news (●, the fault was caught) and a green clause the fault claims to break is a problem (!). <b>Live</b> runs talk to a real FreeClimb account.</p>
<ul class="legend">${states.map((s) => `<li><span class="k ${s}">${SYMBOL[s]}</span>${esc(MEANING[s])}</li>`).join('')}</ul>
<p>Hover a cell for the scenarios behind it and why it has its state; click it to open the scenario in the Allure report (when the report was generated). Hover a column header for what the run changed.</p></section>`;
}

function matrix(m: PageModel): string {
  const cols = m.columns;
  const groups = GROUPS.map((g) => ({ g, n: cols.filter((c) => c.group === g).length })).filter((x) => x.n);
  const starts = new Set(groups.map(({ g }) => cols.findIndex((c) => c.group === g)));
  const groupRow = `<tr class="groups"><th class="clause" rowspan="2">clause <span class="meta">(${m.clauses.length})</span></th>${groups.map(({ g, n }) => `<th colspan="${n}" title="${esc(GROUP_TITLE[g])}">${esc(n > 3 ? GROUP_TITLE[g] : g)}</th>`).join('')}</tr>`;
  const colRow = `<tr class="cols">${cols.map((c, i) => `<th scope="col" class="${starts.has(i) ? 'gs' : ''}" title="${esc(`${c.label}\n${columnMeaning(c)}`)}"><span>${esc(c.short)}</span></th>`).join('')}</tr>`;
  const rows = m.clauses
    .map((cl, r) => {
      const problem = m.cells[r].some((c) => c.state === 'fail');
      return `<tr data-clause="${esc(cl.id)}"${problem ? ' class="problem"' : ''}><th scope="row" class="clause" title="${esc(`${cl.text}\nsource: ${cl.source}`)}"><span class="id">${esc(cl.id)}</span> — ${esc(cl.title)} <span class="meta">${esc(cl.kind)} · ${esc(shortSource(cl.source))}</span><span class="text">${esc(cl.text)}</span></th>${cols.map((c, i) => cellHtml(m, m.cells[r][i], c, cl, starts.has(i))).join('')}</tr>`;
    })
    .join('\n');
  const controls = `<div class="controls"><label>filter rows <input id="q" type="search" placeholder="C14, terminate…"></label><label><input id="onlyProblems" type="checkbox"> only rows with a problem</label></div>`;
  const table = cols.length
    ? `<div class="scroll"><table id="matrix" class="m"><thead>${groupRow}${colRow}</thead><tbody>\n${rows}\n</tbody></table></div>`
    : `<p class="missing">No run directory with Allure results was found, so every clause is not run.</p><table id="matrix" class="m"><tbody>${m.clauses.map((cl) => `<tr data-clause="${esc(cl.id)}"><th class="clause">${esc(cl.id)} — ${esc(cl.title)}</th></tr>`).join('')}</tbody></table>`;
  return `<section><h2>Clause × run matrix</h2>${cols.length ? controls : ''}${table}${problems(m)}${skips(m)}${columnLegend(m)}</section>`;
}

function problems(m: PageModel): string {
  const items: string[] = [];
  m.cells.forEach((row, r) =>
    row.forEach((cell, i) => {
      if (cell.state !== 'fail') return;
      const col = m.columns[i];
      const cl = m.clauses[r];
      const href = cell.target && m.linkFor?.(cell.target.historyId);
      const failing = cell.scenarios.filter((s) => s.status === 'failed');
      const what = cell.missed
        ? `<span class="msg">${esc(cell.reason)}</span>`
        : failing.map((s) => `“${esc(s.name)}” (${esc(s.rawStatus)}): <span class="msg">${esc(firstLine(s.message) || 'no message')}</span>`).join('<br>');
      items.push(`<li data-clause="${esc(cl.id)}" data-column="${esc(col.label)}"><b>${esc(cl.id)}</b> in <b>${esc(col.label)}</b>${href ? ` · <a href="${esc(href)}">Allure</a>` : ''}<br>${what}</li>`);
    }),
  );
  return `<h3>Unexpected failures (${items.length})</h3>${items.length ? `<ul class="list" id="failures">${items.join('\n')}</ul>` : '<p>None: every red cell is a fault being caught.</p>'}`;
}

function skips(m: PageModel): string {
  const byReason = new Map<string, Set<string>>();
  m.cells.forEach((row) => row.forEach((cell, i) => cell.state === 'skipped' && byReason.set(cell.reason, (byReason.get(cell.reason) ?? new Set()).add(m.columns[i].label))));
  if (!byReason.size) return '';
  return `<h3>Skipped</h3><ul class="list">${[...byReason].map(([reason, cols]) => `<li>${esc(reason)} <span class="meta">— in ${esc([...cols].join(', '))}</span></li>`).join('')}</ul>`;
}

function columnLegend(m: PageModel): string {
  if (!m.columns.length) return '';
  const rows = m.columns
    .map((c) => {
      const n = (st: string) => c.scenarios.filter((s) => s.status === st).length;
      return `<tr><td>${esc(c.label)}</td><td>${esc(c.group)}</td><td>${n('passed')} / ${n('failed')} / ${n('skipped')}</td><td>${esc(columnMeaning(c))}</td></tr>`;
    })
    .join('');
  return `<details><summary>Columns: what each run changed (${m.columns.length})</summary><table class="plain"><tr><th>column</th><th>group</th><th>passed / failed / skipped</th><th>meaning</th></tr>${rows}</table></details>`;
}

function observations(m: PageModel): string {
  const o = m.observations;
  const liveCols = m.columns.filter((c) => c.mode === 'live');
  if (!liveCols.length && !o.points.length) return `<section><h2>Live observations</h2><p>No live run found: nothing here says what FreeClimb itself does where the docs allow several readings.</p></section>`;
  if (!o.points.length) return `<section><h2>Live observations</h2><p>Live run(s) found (${esc(liveCols.map((c) => c.label).join(', '))}) but no live observation was recorded${o.files.length ? ` in ${esc(o.files.join(', '))}` : ' (no observations.jsonl)'}.</p></section>`;
  const rows = o.points
    .map((p) => {
      const seen = new Set(p.counts.map(([v]) => v.toLowerCase()));
      const observed = p.counts.map(([v, n]) => `<b>${esc(v)}</b> (${n}×)`).join('<br>');
      const readings = p.readings.length
        ? p.readings.map((r) => `<div><span class="meta">${esc(r.axis)} · ${esc(r.ref)}</span><br>${r.options.map((opt) => `<span class="opt${seen.has(opt.toLowerCase()) ? ' seen' : ''}">${esc(opt)}</span>`).join('')}</div>`).join('')
        : '<span class="meta">no variant axis for this clause: the question is not one of the catalogued readings</span>';
      return `<tr data-clause="${esc(p.clause)}"><td><b>${esc(p.clause)}</b></td><td>${esc(p.question)}<br><span class="meta">${p.scenarios} scenario(s)</span></td><td>${observed}</td><td>${readings}</td></tr>`;
    })
    .join('\n');
  const urls = [...new Set(liveCols.map((c) => c.env.apiBaseUrl).filter((u): u is string => !!u))];
  const loopback = urls.filter((u) => /^\w+:\/\/(127\.|localhost|\[::1\])/.test(u));
  const against = urls.length
    ? `<p>Live runs talked to ${urls.map((u) => `<code>${esc(u)}</code>`).join(', ')}.${loopback.length ? ' <b>A loopback address is a stand-in for FreeClimb (such as the self-check’s live proof), not the platform: its answers say what the stand-in does.</b>' : ''}</p>`
    : '';
  return `<section><h2>Live observations</h2>${against}<p>Where the docs allow several readings ([AMBIGUOUS]/[CONFLICT]), what the platform did in live runs, beside the readings the docs allow (a reading the platform showed is highlighted). From ${esc(o.files.join(', '))}.</p>
<table class="plain" id="observations"><tr><th>clause</th><th>question</th><th>FreeClimb did</th><th>readings the docs allow</th></tr>${rows}</table></section>`;
}

function appGate(m: PageModel): string {
  const g = m.gate;
  if (!g.found.length) return `<section><h2>App gating</h2><p class="missing">No app gating results (reports/app-gate/runs.json): <code>fch app test</code> has not run here.</p></section>`;
  if (g.problem) return `<section><h2>App gating</h2><p class="missing">${esc(g.problem)}</p></section>`;
  if (!g.runs.length) return `<section><h2>App gating</h2><p>Only app-gate/summary.txt was found:</p><pre class="summary">${esc(g.summaryText ?? '')}</pre></section>`;
  const findings = g.findings.length
    ? g.findings.map((f) => `<div class="finding">“${esc(f.name)}” (${esc(shortUri(f.uri))}) <b>fails only under ${esc(f.failsUnder.join(', '))}</b>${f.error ? `<br><span class="msg">${esc(f.error)}</span>` : ''}</div>`).join('')
    : '<p>No scenario is green under the default reading and red under another.</p>';
  const head = `<tr><th>scenario</th>${g.runs.map((r, i) => `<th title="${esc(r.label)}">v${i}</th>`).join('')}</tr>`;
  const state = (st: string | undefined): CellState => (st === 'passed' ? 'pass' : st === 'failed' ? 'fail' : st === 'skipped' ? 'skipped' : 'not-run');
  const body = g.rows
    .map((row) => `<tr><td>${esc(row.name)} <span class="meta">${esc(shortUri(row.uri))}</span></td>${g.runs
      .map((r) => {
        const s = r.scenarios.find((x) => x.id === row.id);
        const st = state(s?.status);
        return `<td class="c" data-state="${st}" title="${esc(`${r.label}: ${s?.status ?? 'not run'}${s?.error ? `\n${firstLine(s.error)}` : ''}`)}"><span>${SYMBOL[st]}</span></td>`;
      })
      .join('')}</tr>`)
    .join('\n');
  const legend = g.runs.map((r, i) => `<li>v${i} ${esc(r.label)} <span class="meta">(exit ${r.exitCode})</span></li>`).join('');
  return `<section><h2>App gating</h2><h3>Findings only a non-default reading shows</h3>${findings}<h3>Scenario × reading</h3><table class="plain" id="app-gate">${head}${body}</table><ul class="list">${legend}</ul>${g.summaryText ? `<details><summary>summary.txt</summary><pre class="summary">${esc(g.summaryText)}</pre></details>` : ''}</section>`;
}

function footer(m: PageModel): string {
  const notes = [
    m.appGateResults ? `${m.appGateResults} app-gating result(s) in run directories are left out of the matrix (they test an app, not the platform)` : '',
    m.unreadable.length ? `${m.unreadable.length} result file(s) could not be read, e.g. ${m.unreadable.slice(0, 3).join(', ')}` : '',
    m.observations.badLines ? `${m.observations.badLines} unreadable observation line(s)` : '',
  ].filter(Boolean);
  return `<footer><h2>Sources</h2><ul class="list">${m.columns.length ? `<li>${new Set(m.columns.map((c) => c.dir)).size} run director(ies) with Allure results</li>` : ''}${notes.map((n) => `<li>${esc(n)}</li>`).join('')}</ul></footer>`;
}

export function renderPage(m: PageModel): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>FreeClimb conference conformance — ${esc(fmtDate(m.now))}</title><style>${CSS}</style></head>
<body>
${head(m)}
${howTo()}
${matrix(m)}
${m.claims ? renderClaims(m.claims) : ''}
${observations(m)}
${appGate(m)}
${footer(m)}
${m.columns.length ? `<script>${SCRIPT}</script>` : ''}
</body></html>
`;
}
