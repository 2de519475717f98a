// Renders a conversation as a sequence diagram: one self-contained HTML page with inline SVG (no
// script, no network), so an Allure attachment reads at a glance. Lifelines are FreeClimb (the
// simulator), the app, and each caller; webhooks and their answers, the app's REST requests, what
// callers did and heard, and virtual-time gaps are rows. The failing exchange is drawn in red with
// the failure message under it. Kept free of app-gate specifics so the platform suite can reuse it.
import type { Conversation, ConversationEntry } from '../schemas/conversation';

const ROW = 26;
const COL = 260;
const LEFT = 20;
const TOP = 60;

interface Row {
  from: number;
  to: number;
  label: string;
  dashed?: boolean;
  note?: boolean;
  failed?: boolean;
  /** Index of the conversation entry the row belongs to. */
  entry?: number;
}

export function renderSequenceDiagram(conversation: Conversation): string {
  const lifelines = ['FreeClimb (simulator)', 'app', ...conversation.callers.map((c) => c.name)];
  const column = (name: string) => Math.max(0, lifelines.indexOf(name));
  const failedEntries = new Set(conversation.failure?.entries ?? []);
  const rows: Row[] = [];
  let lastVirtual: number | undefined;
  conversation.entries.forEach((e, i) => {
    const vt = 'virtualTime' in e ? e.virtualTime : undefined;
    if (vt !== undefined && lastVirtual !== undefined && vt - lastVirtual >= 1000) {
      rows.push({ from: 0, to: lifelines.length - 1, label: `+${formatGap(vt - lastVirtual)} (virtual time)`, note: true });
    }
    if (vt !== undefined) lastVirtual = vt;
    rows.push(...rowsOf(e, i, column, failedEntries.has(i)));
  });
  if (conversation.failure) {
    const lastFailed = Math.max(-1, ...rows.map((r, i) => (r.entry !== undefined && failedEntries.has(r.entry) ? i : -1)));
    const message = { from: 0, to: lifelines.length - 1, label: conversation.failure.message, note: true, failed: true };
    if (lastFailed >= 0) rows.splice(lastFailed + 1, 0, message);
    else rows.push(message);
  }

  const width = LEFT * 2 + COL * Math.max(lifelines.length - 1, 1) + 200;
  const noteLines = (r: Row) => (r.note ? wrap(r.label, 110).length : 1);
  const heights = rows.map((r) => ROW * noteLines(r));
  const height = TOP + heights.reduce((a, b) => a + b, 0) + 40;
  const x = (col: number) => LEFT + 100 + col * COL;
  const svg: string[] = [];
  lifelines.forEach((name, i) => {
    svg.push(`<rect x="${x(i) - 90}" y="10" width="180" height="30" rx="4" class="head"/>`);
    svg.push(`<text x="${x(i)}" y="30" class="head-text">${esc(name)}</text>`);
    svg.push(`<line x1="${x(i)}" y1="40" x2="${x(i)}" y2="${height - 10}" class="life"/>`);
  });
  let y = TOP;
  rows.forEach((r, i) => {
    const cls = r.failed ? ' failed' : '';
    if (r.note) {
      const lines = wrap(r.label, 110);
      svg.push(`<rect x="${LEFT}" y="${y - 14}" width="${width - LEFT * 2}" height="${heights[i] - 4}" class="note${cls}"/>`);
      lines.forEach((line, j) => svg.push(`<text x="${LEFT + 8}" y="${y + j * ROW}" class="note-text${cls}">${esc(line)}</text>`));
    } else if (r.from === r.to) {
      svg.push(`<text x="${x(r.from) + 8}" y="${y}" class="label${cls}">${esc(clip(r.label, 90))}</text>`);
    } else {
      const [x1, x2] = [x(r.from), x(r.to)];
      svg.push(`<line x1="${x1}" y1="${y + 4}" x2="${x2}" y2="${y + 4}" class="arrow${r.dashed ? ' dashed' : ''}${cls}" marker-end="url(#head${r.failed ? '-failed' : ''})"/>`);
      svg.push(`<text x="${Math.min(x1, x2) + 6}" y="${y}" class="label${cls}">${esc(clip(r.label, 60))}</text>`);
    }
    y += heights[i];
  });

  const title = `${conversation.scenario} — variant ${conversation.variant}`;
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>${esc(title)}</title>
<style>
body{font:13px system-ui,sans-serif;margin:12px;color:#222}
.head{fill:#eef3fb;stroke:#5577aa}.head-text{text-anchor:middle;font-weight:600}
.life{stroke:#aab;stroke-dasharray:4 4}.arrow{stroke:#333;stroke-width:1.3}.dashed{stroke-dasharray:5 3;stroke:#667}
.label{font-size:12px;fill:#222}.note{fill:#fafafa;stroke:#ccc}.note-text{font-size:12px;fill:#555}
.arrow.failed{stroke:#c00}.label.failed{fill:#c00;font-weight:600}.note.failed{fill:#fff0f0;stroke:#c00}.note-text.failed{fill:#a00;font-weight:600}
</style></head><body>
<h3>${esc(title)}</h3>
<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">
<defs>
<marker id="head" markerWidth="8" markerHeight="8" refX="8" refY="4" orient="auto"><path d="M0,0 L8,4 L0,8 z" fill="#333"/></marker>
<marker id="head-failed" markerWidth="8" markerHeight="8" refX="8" refY="4" orient="auto"><path d="M0,0 L8,4 L0,8 z" fill="#c00"/></marker>
</defs>
${svg.join('\n')}
</svg></body></html>
`;
}

function rowsOf(e: ConversationEntry, entry: number, column: (name: string) => number, failed: boolean): Row[] {
  const sim = 0;
  const app = 1;
  switch (e.kind) {
    case 'webhook': {
      const path = safePath(e.url);
      const answer = e.error ? `✗ ${e.error}` : `${e.status} ${e.answerSummary === String(e.status) ? '' : e.answerSummary}`.trim();
      return [
        { from: sim, to: app, label: `#${e.seq} ${e.requestType} → ${path}`, failed, entry },
        { from: app, to: sim, label: e.problems.length ? `${answer} — invalid PerCL` : answer, dashed: true, failed: failed || e.problems.length > 0, entry },
      ];
    }
    case 'rest':
      return [
        { from: app, to: sim, label: `REST ${e.method} ${e.path.replace(/^\/apiserver\/Accounts\/[^/]+/, '')}`, failed, entry },
        { from: sim, to: app, label: `${e.status}${e.error ? ` ${e.error}` : ''}`, dashed: true, failed: failed || e.status >= 400, entry },
      ];
    case 'caller': {
      const who = column(e.caller);
      if (e.action === 'hears') return [{ from: sim, to: who, label: `${e.caller} hears ${e.detail}`, dashed: true, failed, entry }];
      return [{ from: who, to: sim, label: `${e.action}${e.detail ? ` ${e.detail}` : ''}`, failed, entry }];
    }
    case 'probe':
      return [
        { from: sim, to: app, label: `harness probe: ${e.description}`, failed, entry },
        { from: app, to: sim, label: e.error ?? String(e.status), dashed: true, failed, entry },
      ];
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

const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

function wrap(text: string, width: number): string[] {
  return text.split('\n').flatMap((line) => {
    const out: string[] = [];
    for (let rest = line; ; ) {
      if (rest.length <= width) {
        out.push(rest);
        break;
      }
      out.push(rest.slice(0, width));
      rest = rest.slice(width);
    }
    return out;
  });
}

function esc(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
