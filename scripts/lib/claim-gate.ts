// The claim gate of `npm run check` (stage clauses): every atomic claim of the catalog is proven by
// something that can fail it, in this check. A claim counts as proven only by a stage that ran here:
// the fault runs (exact claims), the variant runs (ambiguous claims), the unit tests (claims about the
// harness) and the live fault runs (proof live). A claim whose stage was deliberately left out
// (--skip, --only, or narrowed by --fault / --variant) is "not proven in this check", with the reason:
// neither proven nor a failure. A stage that ran and did not prove it is a problem.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { CLAIMS, liveObservable } from '../../features/clauses';
import { FAULTS, FAULT_NAMES, type FaultName } from '../../support/simulator/faults';
import { VARIANT_AXES } from '../../support/simulator/variants';
import type { LiveFaultOutcome } from '../live-faults';
import { ROOT } from './cucumber-run';

type Red = { tags: string[] };
export type FaultOutcomes = Map<FaultName, { caught: boolean; red: Red[] }>;
export type VariantOutcomes = Map<string, boolean>;
export type LiveOutcomes = Record<string, LiveFaultOutcome>;

/** The stages that prove claims. */
export type ProvingStage = 'unit' | 'faults' | 'variants' | 'live-faults';

export interface Proof {
  faults?: FaultOutcomes;
  variants?: VariantOutcomes;
  unitOk?: boolean;
  live?: LiveOutcomes;
  /** Why a proving stage did not run in this check (e.g. "not run: --only unit,live,app-gate"). */
  notRun: Partial<Record<ProvingStage, string>>;
  /** --fault / --variant: the stage ran, narrowed to these. */
  narrowed?: { faults?: string; variants?: string };
}

/** What the report shows per claim (reports/self-check/claim-proof.json, read by the conformance page). */
export interface ClaimProof {
  id: string;
  clause: string;
  kind: string;
  mock: string;
  mockProven: boolean;
  /** How a live run proves it, or why it cannot. */
  live: string;
  liveProven: boolean;
}

/** notRun: the claim's line; why: the reason it shares with other claims (for the summary). */
type Verdict = { proven: true; how: string } | { proven: false; notRun: string; why: string } | { proven: false; problem: string };
type ClaimOf = (typeof CLAIMS)[number];

const breakersOf = (claim: ClaimOf) => FAULT_NAMES.filter((f) => (FAULTS[f].breaks as readonly string[]).includes(claim.id));
// The conformance page marks "UNPROVEN" with ✗; a stage left out is no failure, so its words differ.
const NOT_HERE = 'not proven in this check';

/** How mock mode proves one claim in this check. */
function mockVerdict(claim: ClaimOf, proof: Proof): Verdict {
  const skipped = (stage: ProvingStage, what: string): Verdict => {
    const why = `stage ${stage} ${proof.notRun[stage] ?? 'did not run'}`;
    return { proven: false, notRun: `${NOT_HERE}: ${what}; ${why}`, why };
  };
  if (claim.uncheckable) return { proven: true, how: `uncheckable: ${claim.uncheckable}` };
  if (claim.provenBy) {
    const missing = claim.provenBy.filter((f) => !existsSync(join(ROOT, f)));
    if (missing.length) return { proven: false, problem: `names missing tests ${missing.join(', ')}` };
    if (proof.unitOk === false) return { proven: false, problem: `its unit tests failed (${claim.provenBy.join(', ')})` };
    if (proof.unitOk === undefined) return skipped('unit', `unit tests ${claim.provenBy.join(', ')}`);
    return { proven: true, how: `harness claim, unit tests ${claim.provenBy.join(', ')}` };
  }
  if (claim.kind === 'ambiguous') {
    const axes = claim.axes ?? [];
    const unknownAxes = axes.filter((a) => !(a in VARIANT_AXES));
    if (unknownAxes.length) return { proven: false, problem: `names unknown variant axes ${unknownAxes.join(', ')}` };
    const settings = axes.flatMap((a) => (VARIANT_AXES as Record<string, { options: readonly string[] }>)[a].options.slice(1).map((o) => `${a}=${o}`));
    if (!proof.variants) return skipped('variants', `readings ${settings.join(', ')}`);
    const red = settings.filter((v) => proof.variants!.get(v) === false);
    if (red.length) return { proven: false, problem: `readings not green: ${red.join(', ')}` };
    const unrun = settings.filter((v) => !proof.variants!.has(v));
    const why = `their readings left out by --variant ${proof.narrowed?.variants ?? '?'}`;
    if (unrun.length) return { proven: false, notRun: `${NOT_HERE}: readings ${unrun.join(', ')} not run (--variant ${proof.narrowed?.variants ?? '?'})`, why };
    return { proven: true, how: `readings ${settings.join(', ')} green` };
  }
  const breakers = breakersOf(claim);
  if (breakers.length === 0) return { proven: false, problem: 'no fault breaks it' };
  if (!proof.faults) return skipped('faults', `faults ${breakers.join(', ')}`);
  const ran = breakers.filter((f) => proof.faults!.has(f));
  const proving = ran.filter((f) => {
    const outcome = proof.faults!.get(f);
    return outcome?.caught && outcome.red.some((s) => s.tags.includes(`@clause:${claim.clause}`));
  });
  if (proving.length) return { proven: true, how: `fault ${proving.join(', ')} turns a ${claim.clause} scenario red` };
  // A breaker left out by --fault might still prove it: only when all ran is it a problem.
  const why = `their faults left out by --fault ${proof.narrowed?.faults ?? '?'}`;
  if (ran.length < breakers.length) return { proven: false, notRun: `${NOT_HERE}: faults ${breakers.filter((f) => !ran.includes(f)).join(', ')} not run (--fault ${proof.narrowed?.faults ?? '?'})`, why };
  return { proven: false, problem: `no fault turns a ${claim.clause} scenario red (${ran.map((f) => `${f}: ${proof.faults!.get(f)?.caught ? 'caught elsewhere only' : 'not caught exactly'}`).join('; ')})` };
}

/**
 * Live proof of one claim: a live-observable claim needs a fault that breaks it and turns a live
 * scenario of its clause red in stage live-faults; every other claim says why live mode does not prove it.
 */
function liveVerdict(claim: ClaimOf, proof: Proof): { text: string; proven: boolean; problem?: string } {
  if (claim.uncheckable) return { text: 'not live: uncheckable', proven: false };
  if (claim.provenBy) return { text: "not live: a claim about the harness's own checks (unit tests)", proven: false };
  if (claim.kind === 'ambiguous') return { text: 'not live: an ambiguous claim; live runs record what the platform did as an observation', proven: false };
  if (claim.notLive) return { text: `not live: ${claim.notLive}`, proven: false };
  const breakers = breakersOf(claim);
  const live = proof.live;
  if (!live) {
    const why = proof.notRun['live-faults'];
    if (why) return { text: `${NOT_HERE}: faults ${breakers.join(', ')} in live mode; stage live-faults ${why}`, proven: false };
    return { text: '', proven: false, problem: 'stage live-faults ran but left no outcomes (live-faults.json)' };
  }
  const ran = breakers.filter((f) => live[f]);
  const proving = ran.filter((f) => live[f].caught && live[f].red.some((s) => s.tags.includes(`@clause:${claim.clause}`)));
  if (proving.length) return { text: `proven live: fault ${proving.join(', ')} turns a live ${claim.clause} scenario red`, proven: true };
  if (ran.length < breakers.length) return { text: `${NOT_HERE}: faults ${breakers.filter((f) => !live[f]).join(', ')} in live mode not run (--fault ${proof.narrowed?.faults ?? '?'})`, proven: false };
  return { text: '', proven: false, problem: `live-observable, yet no fault turns a live ${claim.clause} scenario red (${ran.map((f) => `${f}: ${live[f].caught ? 'caught elsewhere only' : 'not caught exactly'}`).join('; ')})` };
}

/** One line per claim saying how it is proven; a problem for each claim a stage that ran failed to prove. */
export function checkClaims(proof: Proof) {
  const problems: string[] = [];
  const notes: string[] = [];
  const lines: string[] = [];
  const claimIds = new Set(CLAIMS.map((c) => c.id));
  for (const name of FAULT_NAMES) {
    for (const id of FAULTS[name].breaks) if (!claimIds.has(id)) problems.push(`fault ${name} breaks unknown claim ${id}`);
  }
  let proven = 0;
  let provenLive = 0;
  let liveNotRun = 0;
  const notRun = new Map<string, number>();
  const proofs: ClaimProof[] = [];
  for (const claim of CLAIMS) {
    const mock = mockVerdict(claim, proof);
    const live = liveVerdict(claim, proof);
    if (live.problem) problems.push(`claim ${claim.id} "${claim.text}": ${live.problem}`);
    else if (live.proven) provenLive += 1;
    else if (live.text.startsWith(NOT_HERE)) liveNotRun += 1;
    let text: string;
    if (mock.proven) {
      proven += 1;
      text = mock.how;
    } else if ('problem' in mock) {
      problems.push(`claim ${claim.id} "${claim.text}": ${mock.problem}`);
      text = `UNPROVEN: ${mock.problem}`;
    } else {
      text = mock.notRun;
      notRun.set(mock.why, (notRun.get(mock.why) ?? 0) + 1);
    }
    lines.push(`${claim.id} [${claim.kind}] ${text}; live: ${live.problem ? `UNPROVEN: ${live.problem}` : live.text}`);
    proofs.push({ id: claim.id, clause: claim.clause, kind: claim.kind, mock: text, mockProven: mock.proven, live: live.problem ?? live.text, liveProven: live.proven });
  }
  const count = (pred: (c: ClaimOf) => boolean) => CLAIMS.filter(pred).length;
  const summary =
    `claims proven ${proven}/${CLAIMS.length}: ${count((c) => c.kind === 'exact' && !c.provenBy && !c.uncheckable)} exact by fault, ` +
    `${count((c) => c.kind === 'ambiguous')} ambiguous by variants, ${count((c) => !!c.provenBy)} harness by unit tests, ${count((c) => !!c.uncheckable)} uncheckable`;
  // Grouped by reason: "12 claims not proven in this check: stage faults not run: --skip faults".
  for (const [why, n] of notRun) notes.push(`${n} claim(s) ${NOT_HERE}: ${why}`);
  const observable = CLAIMS.filter(liveObservable).length;
  notes.push(proof.live ? `claims proven live ${provenLive}/${observable} live-observable (stage live-faults)` : `claims proven live 0/${observable} live-observable: stage live-faults ${proof.notRun['live-faults'] ?? 'left no outcomes'}`);
  if (proof.live && liveNotRun) notes.push(`${liveNotRun} live-observable claim(s) ${NOT_HERE} live: their faults were not run (--fault ${proof.narrowed?.faults ?? '?'})`);
  return { problems, notes, lines, summary, proofs, proven, notRun: [...notRun.values()].reduce((a, b) => a + b, 0) };
}
