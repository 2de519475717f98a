// Renders a conversation as a sequence diagram: one self-contained HTML page with inline SVG (no
// script, no network), so an Allure attachment reads at a glance. Lifelines are FreeClimb (or the
// simulator), the side that answers its webhooks (the app under test, or the harness's receiver),
// and each caller; webhooks and their answers, REST requests, what callers did and heard, the
// harness's waits and virtual-time gaps are rows. The failing exchange is drawn in red with the
// failure message under it, so a reader sees where the flow broke without reading JSON. The SVG
// shrinks to a narrow pane down to a readable size, then scrolls.
import type { Conversation, ConversationEntry } from '../schemas/conversation';
import { describeGrace } from './grace-text';

const ROW = 24;
const COL = 270;
const LEFT = 70;
const TOP = 64;
/** Characters of an arrow label before it is clipped (the full text is in the row's tooltip). */
const ARROW_CHARS = 58;
/** A failure message longer than this is cut in the diagram (the step's error keeps all of it). */
const FAILURE_LINES = 24;

interface Row {
  from: number;
  to: number;
  label: string;
  dashed?: boolean;
  note?: boolean;
  failed?: boolean;
  /** Virtual time shown in the left gutter, in ms. */
  virtualTime?: number;
  /** Index of the conversation entry the row belongs to. */
  entry?: number;
}

export function renderSequenceDiagram(conversation: Conversation): string {
  const names = conversation.lifelines ?? { platform: 'FreeClimb (simulator)', answerer: 'app' };
  const lifelines = [names.platform, names.answerer, ...conversation.callers.map((c) => c.name)];
  const column = (name: string) => Math.max(0, lifelines.indexOf(name));
  const failedEntries = new Set(conversation.failure?.entries ?? []);
  const rows: Row[] = [];
  let lastVirtual: number | undefined;
  // The gutter counts from the scenario's first event: the clock itself starts at the epoch time
  // the simulator was created, which is unreadable as m:ss.
  const times = conversation.entries.flatMap((e) => ('virtualTime' in e && e.virtualTime !== undefined ? [e.virtualTime] : []));
  const origin = times.length ? Math.min(...times) : 0;
  conversation.entries.forEach((e, i) => {
    const vt = 'virtualTime' in e ? e.virtualTime : undefined;
    if (vt !== undefined && lastVirtual !== undefined && vt - lastVirtual >= 1000) {
      rows.push({ from: 0, to: lifelines.length - 1, label: `+${formatGap(vt - lastVirtual)} (virtual time)`, note: true });
    }
    if (vt !== undefined) lastVirtual = vt;
    rows.push(...rowsOf(e, i, column, failedEntries.has(i)).map((r) => ({ ...r, virtualTime: vt })));
  });
  if (conversation.failure) {
    const lastFailed = Math.max(-1, ...rows.map((r, i) => (r.entry !== undefined && failedEntries.has(r.entry) ? i : -1)));
    const message = { from: 0, to: lifelines.length - 1, label: `✗ ${trimFailure(conversation.failure.message)}`, note: true, failed: true };
    if (lastFailed >= 0) rows.splice(lastFailed + 1, 0, message);
    else rows.push(message);
  }
  if (rows.length === 0) rows.push({ from: 0, to: lifelines.length - 1, label: 'nothing was exchanged', note: true });

  const width = LEFT + COL * Math.max(lifelines.length - 1, 1) + 260;
  // Bold 12px text runs about 7.5 px a character; notes wrap inside the box.
  const NOTE_CHARS = Math.floor((width - LEFT - 30) / 7.6);
  const noteLines = (r: Row) => (r.note ? wrap(r.label, NOTE_CHARS).length : 1);
  const heights = rows.map((r) => ROW * noteLines(r) + (r.note ? 6 : 0));
  const height = TOP + heights.reduce((a, b) => a + b, 0) + 30;
  const x = (col: number) => LEFT + 110 + col * COL;
  const svg: string[] = [];
  lifelines.forEach((name, i) => {
    svg.push(`<rect x="${x(i) - 100}" y="10" width="200" height="30" rx="4" class="head${i > 1 ? ' caller' : ''}"/>`);
    svg.push(`<text x="${x(i)}" y="30" class="head-text">${esc(clip(name, 28))}</text>`);
    svg.push(`<line x1="${x(i)}" y1="40" x2="${x(i)}" y2="${height - 10}" class="life"/>`);
  });
  let y = TOP;
  let lastGutter: number | undefined;
  rows.forEach((r, i) => {
    const cls = r.failed ? ' failed' : '';
    const entry = r.entry !== undefined ? ` data-entry="${r.entry}"` : '';
    if (r.virtualTime !== undefined && r.virtualTime !== lastGutter && !r.note) {
      svg.push(`<text x="6" y="${y + 4}" class="gutter">${formatClock(r.virtualTime - origin)}</text>`);
      lastGutter = r.virtualTime;
    }
    if (r.note) {
      const lines = wrap(r.label, NOTE_CHARS);
      svg.push(`<g class="row${cls}"${entry}><rect x="${LEFT}" y="${y - 15}" width="${width - LEFT - 10}" height="${heights[i] - 6}" rx="3" class="note${cls}"/>`);
      lines.forEach((line, j) => svg.push(`<text x="${LEFT + 8}" y="${y + j * ROW}" class="note-text${cls}">${esc(line)}</text>`));
      svg.push('</g>');
    } else if (r.from === r.to) {
      // A self-row's text runs to the right edge: about 6.8 px a character at 12px.
      const room = Math.floor((width - x(r.from) - 16) / 6.8);
      svg.push(`<g class="row${cls}"${entry}><title>${esc(r.label)}</title><circle cx="${x(r.from)}" cy="${y}" r="3" class="dot${cls}"/><text x="${x(r.from) + 8}" y="${y + 4}" class="label${cls}">${esc(clip(r.label, room))}</text></g>`);
    } else {
      const [x1, x2] = [x(r.from), x(r.to)];
      svg.push(
        `<g class="row${cls}"${entry}><title>${esc(r.label)}</title><line x1="${x1}" y1="${y + 4}" x2="${x2}" y2="${y + 4}" class="arrow${r.dashed ? ' dashed' : ''}${cls}" marker-end="url(#head${r.failed ? '-failed' : ''})"/>` +
          `<text x="${Math.min(x1, x2) + 6}" y="${y}" class="label${cls}">${esc(clip(r.label, Math.round((ARROW_CHARS * Math.abs(x2 - x1)) / COL)))}</text></g>`,
      );
    }
    y += heights[i];
  });

  const title = `${conversation.scenario} — ${conversation.variant}`;
  const clauses = conversation.clauses?.length ? `<ul class="clauses">${conversation.clauses.map((c) => `<li>${esc(c)}</li>`).join('')}</ul>` : '';
  const verdict = conversation.failure
    ? `<p class="verdict failed">✗ failed: the exchange in red broke the expectation; the message is under it.</p>`
    : `<p class="verdict passed">✓ passed</p>`;
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>${esc(title)}</title>
<style>
body{font:13px system-ui,sans-serif;margin:12px;color:#222}h3{margin:0 0 4px}
.clauses{margin:4px 0 6px;padding-left:18px;color:#444}.verdict{margin:4px 0 8px;font-weight:600}.verdict.failed{color:#b00}.verdict.passed{color:#2a7a2a}
.legend{color:#666;font-size:12px;margin-bottom:6px}
.head{fill:#eef3fb;stroke:#5577aa}.head.caller{fill:#f3f7ee;stroke:#6a8a4a}.head-text{text-anchor:middle;font-weight:600}
.life{stroke:#aab;stroke-dasharray:4 4}.arrow{stroke:#333;stroke-width:1.3}.dashed{stroke-dasharray:5 3;stroke:#667}
.label{font-size:12px;fill:#222}.note{fill:#fafafa;stroke:#ccc}.note-text{font-size:12px;fill:#555}.gutter{font-size:11px;fill:#889}.dot{fill:#555}
.arrow.failed{stroke:#c00;stroke-width:2}.label.failed{fill:#c00;font-weight:600}.note.failed{fill:#fff0f0;stroke:#c00}.note-text.failed{fill:#a00;font-weight:600}.dot.failed{fill:#c00}
</style></head><body>
<h3>${esc(title)}</h3>
${clauses}${verdict}
${conversation.quiet ? `<div class="legend">${esc(describeGrace(conversation.quiet))}: the gate moved on only once the app had been quiet that long after its last answer</div>\n` : ''}<div class="legend">solid arrow: a request (webhook or REST) · dashed: its answer${rows.some((r) => r.virtualTime !== undefined) ? ' · left column: virtual time since the first event' : ''} · hover a row for its full text</div>
<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" style="width:100%;max-width:${width}px;min-width:${Math.min(width, 860)}px;height:auto">
<defs>
<marker id="head" markerWidth="8" markerHeight="8" refX="8" refY="4" orient="auto"><path d="M0,0 L8,4 L0,8 z" fill="#333"/></marker>
<marker id="head-failed" markerWidth="8" markerHeight="8" refX="8" refY="4" orient="auto"><path d="M0,0 L8,4 L0,8 z" fill="#c00"/></marker>
</defs>
${svg.join('\n')}
</svg></body></html>
`;
}

function rowsOf(e: ConversationEntry, entry: number, column: (name: string) => number, failed: boolean): Row[] {
  const platform = 0;
  const answerer = 1;
  switch (e.kind) {
    case 'webhook': {
      const reported = typeof e.body.status === 'string' ? ` status=${e.body.status}` : typeof e.body.callStatus === 'string' && e.requestType === 'callStatus' ? ` callStatus=${e.body.callStatus}` : '';
      const about = e.participant ? ` (${e.participant})` : '';
      const broken = e.webhookProblems?.length ? ` ✗ ${e.webhookProblems.join('; ')}` : '';
      const answer = e.error ? `✗ ${e.error}` : `${e.status} ${e.answerSummary === String(e.status) ? '' : e.answerSummary}`.trim();
      const invalid = e.problems.length ? ` ✗ invalid PerCL: ${e.problems.map((p) => `${p.pointer || '/'} ${p.rule}`).join('; ')}` : '';
      return [
        { from: platform, to: answerer, label: `#${e.seq} ${e.requestType}${reported}${about} → ${safePath(e.url)}${broken}`, failed: failed || Boolean(broken), entry },
        { from: answerer, to: platform, label: `${answer}${invalid}`, dashed: true, failed: failed || e.problems.length > 0, entry },
      ];
    }
    case 'rest': {
      const path = e.path.replace(/^https?:\/\/[^/]+/, '').replace(/^(\/apiserver)?\/Accounts\/[^/]+/, '');
      const times = e.count && e.count > 1 ? ` ×${e.count}` : '';
      const via = e.route ? ` (to FreeClimb's URL, via ${e.route === 'preload' ? 'the Node preload' : 'the HTTPS proxy'})` : '';
      return [
        { from: answerer, to: platform, label: `REST ${e.method} ${path}${times}${via}`, failed, entry },
        { from: platform, to: answerer, label: `${e.status || 'no answer'}${e.error ? ` ${e.error}` : ''}`, dashed: true, failed: failed || e.status >= 400 || e.status === 0, entry },
      ];
    }
    case 'caller': {
      const who = column(e.caller);
      if (e.action === 'hears') return [{ from: platform, to: who, label: `${e.caller} hears ${e.detail}`, dashed: true, failed, entry }];
      if (e.action === 'call ends') return [{ from: who, to: who, label: `call ends${e.detail ? ` (${e.detail})` : ''}`, failed, entry }];
      return [{ from: who, to: platform, label: `${e.action}${e.detail ? ` ${e.detail}` : ''}`, failed, entry }];
    }
    case 'trigger':
      // Drawn from the platform's lifeline: the harness sends it, not a caller's phone.
      return [
        { from: platform, to: answerer, label: `web ${e.method} ${e.path} (${e.contentType.split(';')[0]}) ${clip(e.requestBody, 60)}`, failed, entry },
        { from: answerer, to: platform, label: e.error ? `✗ ${e.error}` : `${e.status} ${clip(e.answer ?? '', 60)}`.trim(), dashed: true, failed: failed || e.error !== undefined || (e.status ?? 0) >= 400, entry },
      ];
    case 'probe':
      return [
        { from: platform, to: answerer, label: `harness probe: ${e.description}`, failed, entry },
        { from: answerer, to: platform, label: e.error ?? String(e.status), dashed: true, failed, entry },
      ];
    case 'note':
      return [{ from: answerer, to: answerer, label: e.text, failed, entry }];
  }
}

function safePath(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return url;
  }
}

function formatGap(ms: number): string {
  const s = Math.round(ms / 1000);
  return s >= 3600 ? `${(s / 3600).toFixed(1)} h` : s >= 120 ? `${Math.round(s / 60)} min` : `${s} s`;
}

/** Virtual time as m:ss.t, for the gutter. */
function formatClock(ms: number): string {
  const tenths = Math.floor(ms / 100);
  const m = Math.floor(tenths / 600);
  const s = ((tenths % 600) / 10).toFixed(1).padStart(4, '0');
  return `${m}:${s}`;
}

function trimFailure(message: string): string {
  const lines = message.split('\n').filter((l) => !/^\s+at /.test(l));
  return lines.length > FAILURE_LINES ? [...lines.slice(0, FAILURE_LINES), `… ${lines.length - FAILURE_LINES} more line(s) in the step's error`].join('\n') : lines.join('\n');
}

const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, Math.max(1, max - 1))}…` : text);

function wrap(text: string, width: number): string[] {
  return text.split('\n').flatMap((line) => {
    const out: string[] = [];
    for (let rest = line; ; ) {
      if (rest.length <= width) {
        out.push(rest);
        break;
      }
      const cut = rest.lastIndexOf(' ', width) > width / 2 ? rest.lastIndexOf(' ', width) : width;
      out.push(rest.slice(0, cut));
      rest = rest.slice(cut).trimStart();
    }
    return out;
  });
}

function esc(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
