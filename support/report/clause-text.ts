// Clauses as people read them in the report: the Behaviors tab groups by feature, then by clause
// titled with its sentence ("C14 — …", not the bare id), and each scenario's body opens with the
// documented text of the clauses it checks, their source and whether the docs are exact there.
import { CLAUSES, type Clause } from '../../features/clauses';

// Inline styles: the report's own stylesheet resets lists and bold text.
const UL = 'list-style:disc;margin:2px 0 6px 22px;padding:0';
const BY_ID = new Map(CLAUSES.map((c) => [c.id, c]));

export function clauseTitle(id: string): string {
  const clause = BY_ID.get(id);
  return clause ? `${id} — ${clause.title}` : id;
}

/** Allure labels for a scenario's clause ids: a `story` titled with the sentence, and the bare `clause` id for tools. */
export function clauseLabels(ids: readonly string[]): { name: 'story' | 'clause'; value: string }[] {
  return ids.flatMap((id) => [
    { name: 'clause' as const, value: id },
    { name: 'story' as const, value: clauseTitle(id) },
  ]);
}

/** The scenario's description: its clauses' documented text first, then the feature's own description. */
export function scenarioDescriptionHtml(ids: readonly string[], featureDescription: string): string {
  const items = ids.map((id) => {
    const clause = BY_ID.get(id);
    return clause ? clauseItem(clause) : `<li><b>${esc(id)}</b>: not in the clause catalog (features/clauses.ts)</li>`;
  });
  const clauses = items.length
    ? `<p style="font-weight:600;margin:0 0 4px">Documented behaviour this scenario checks</p><ul style="${UL}">${items.join('')}</ul>`
    : '<p>This scenario checks no catalog clause.</p>';
  const feature = featureDescription.trim() ? `<p style="color:#555">${esc(featureDescription.trim()).replace(/\n\s*/g, ' ')}</p>` : '';
  return clauses + feature;
}

function clauseItem(c: Clause): string {
  const kind =
    c.kind === 'exact'
      ? 'exact: the docs say one thing'
      : 'ambiguous: the docs allow several readings, and the scenario must pass under each of them';
  const readings = c.claims.filter((claim) => claim.kind === 'ambiguous').map((claim) => `<li>${esc(claim.text)}${claim.axes?.length ? ` <i>(variant axes: ${esc(claim.axes.join(', '))})</i>` : ''}</li>`);
  return (
    // The ▸ and the quotes carry the structure where the report's stylesheet drops list bullets and bold.
    `<li style="margin-bottom:6px"><span class="clause-title" style="font-weight:600">▸ ${esc(clauseTitle(c.id))}</span><br>“${esc(c.text)}”<br>` +
    `<span style="color:#666;font-size:90%">source: ${esc(c.source)} · ${esc(kind)}</span>` +
    (readings.length ? `<ul style="${UL}">${readings.join('')}</ul>` : '') +
    '</li>'
  );
}

function esc(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
