// The claims section of the conformance page: for each atomic claim of the catalog, how mock mode
// proves it and whether live mode does (or why a live run cannot observe it). The verdicts come from
// the claim gate of `npm run check` (self-check/claim-proof.json); without one the page still says,
// from the catalog, which claims a live run can observe and why not the others.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLAIMS, liveObservable } from '../../../features/clauses';
import { esc } from './html';

interface ClaimProof {
  id: string;
  mock: string;
  mockProven: boolean;
  live: string;
  liveProven: boolean;
}

export interface ClaimsRead {
  /** Where the verdicts came from, or undefined when no check wrote them. */
  file?: string;
  proofs: Map<string, ClaimProof>;
}

export function readClaimProofs(reportsDir: string): ClaimsRead {
  const file = join(reportsDir, 'self-check', 'claim-proof.json');
  try {
    const { claims } = JSON.parse(readFileSync(file, 'utf8')) as { claims: ClaimProof[] };
    return { file: 'self-check/claim-proof.json', proofs: new Map(claims.map((c) => [c.id, c])) };
  } catch {
    return { proofs: new Map() };
  }
}

export function renderClaims(read: ClaimsRead): string {
  const observable = CLAIMS.filter(liveObservable);
  const provenLive = CLAIMS.filter((c) => read.proofs.get(c.id)?.liveProven).length;
  const rows = CLAIMS.map((c) => {
    const p = read.proofs.get(c.id);
    const live = p ? p.live : c.notLive ? `not live: ${c.notLive}` : liveObservable(c) ? 'live-observable (not judged: no claim gate results)' : 'not live';
    const mark = (proven: boolean | undefined, text: string) => (proven ? '✓ ' : /UNPROVEN/.test(text) ? '✗ ' : '');
    return `<tr data-claim="${esc(c.id)}"><td><b>${esc(c.id)}</b></td><td>${esc(c.text)} <span class="meta">${esc(c.kind)}</span></td><td>${mark(p?.mockProven, p?.mock ?? '')}${esc(p?.mock ?? 'not judged here')}</td><td>${mark(p?.liveProven, live)}${esc(live)}</td></tr>`;
  }).join('\n');
  const source = read.file
    ? `From the claim gate of the last <code>npm run check</code> (${esc(read.file)}): <b>${provenLive}/${observable.length}</b> live-observable claims proven live.`
    : 'No claim gate results (self-check/claim-proof.json) were found: the columns below say only what the catalog declares.';
  return `<section><h2>Claims: proven in mock, proven live, or why not live</h2><p>${source} A claim is proven live when a fault that breaks it, on the simulator served over HTTP like an account, turns a live-capable scenario of its clause red in live mode (stage <code>live-faults</code>).</p>
<details><summary>${CLAIMS.length} claims, ${observable.length} of them observable by a live run</summary><table class="plain" id="claims"><tr><th>claim</th><th>text</th><th>mock mode</th><th>live mode</th></tr>${rows}</table></details></section>`;
}
