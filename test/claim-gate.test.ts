// The claim gate counts a claim as proven only by a stage that ran in this check: a stage left out
// leaves its claims "not proven in this check" with the reason, never proven and never a failure;
// a stage that ran and did not prove a claim is a failure.
import assert from 'node:assert/strict';
import test from 'node:test';
import { CLAIMS, liveObservable } from '../features/clauses';
import { checkClaims, type FaultOutcomes, type LiveOutcomes, type Proof } from '../scripts/lib/claim-gate';
import { FAULTS, FAULT_NAMES } from '../support/simulator/faults';
import { allVariantSettings } from '../support/simulator/variants';

// Every fault caught exactly, red in the clauses of every claim it breaks; every reading green.
const clauseOf = new Map(CLAIMS.map((c) => [c.id, c.clause]));
const red = (f: (typeof FAULT_NAMES)[number]) => [{ tags: FAULTS[f].breaks.map((id) => `@clause:${clauseOf.get(id)}`) }];
const allFaults = (): FaultOutcomes => new Map(FAULT_NAMES.map((f) => [f, { caught: true, red: red(f) }]));
const allLive = (): LiveOutcomes => Object.fromEntries(FAULT_NAMES.map((f) => [f, { caught: true, red: red(f).map((r) => ({ id: f, ...r })) }]));
const allVariants = () => new Map(allVariantSettings().map((v) => [v, true]));
const full = (): Proof => ({ faults: allFaults(), variants: allVariants(), unitOk: true, live: allLive(), notRun: {} });
const exactByFault = CLAIMS.filter((c) => c.kind === 'exact' && !c.provenBy && !c.uncheckable);

test('with every proving stage run, the claims it proves are proven', () => {
  const gate = checkClaims(full());
  assert.deepEqual(gate.problems, []);
  assert.equal(gate.notRun, 0);
  assert.equal(gate.proven, CLAIMS.length);
  assert.ok(gate.proofs.every((p) => p.mockProven && !p.mock.startsWith('not proven')));
});

test('a stage left out with --only proves nothing, and fails nothing: its claims say why', () => {
  const why = 'not run: --only unit,live,app-gate';
  const proven = checkClaims(full());
  const gate = checkClaims({ unitOk: true, notRun: { faults: why, variants: why, 'live-faults': why } });
  // Leaving stages out adds no problem (the catalog's own problems are the same either way) …
  assert.deepEqual(gate.problems.filter((p) => !proven.problems.includes(p)), []);
  // … and proves none of their claims.
  const exact = gate.proofs.find((p) => p.id === exactByFault[0].id)!;
  assert.equal(exact.mockProven, false);
  assert.match(exact.mock, /^not proven in this check: faults .*; stage faults not run: --only unit,live,app-gate$/);
  assert.ok(gate.proofs.filter((p) => p.kind === 'ambiguous').every((p) => !p.mockProven && p.mock.includes('stage variants not run: --only')));
  assert.ok(gate.proven < proven.proven);
  assert.ok(gate.notes.some((n) => /claim\(s\) not proven in this check: stage faults not run: --only unit,live,app-gate/.test(n)), gate.notes.join('\n'));
  const live = gate.proofs.find((p) => liveObservable(CLAIMS.find((c) => c.id === p.id)!))!;
  assert.equal(live.liveProven, false);
  assert.match(live.live, /stage live-faults not run: --only/);
});

test('--fault narrows the fault runs: the claims of the faults left out are not proven, and not failed', () => {
  const one = FAULT_NAMES[0];
  const faults: FaultOutcomes = new Map([[one, { caught: true, red: red(one) }]]);
  const gate = checkClaims({ ...full(), faults, narrowed: { faults: one } });
  const others = exactByFault.filter((c) => !(FAULTS[one].breaks as readonly string[]).includes(c.id));
  const proof = gate.proofs.find((p) => p.id === others[0].id)!;
  assert.equal(proof.mockProven, false);
  assert.match(proof.mock, new RegExp(`not run \\(--fault ${one}\\)$`));
  assert.deepEqual(gate.problems, checkClaims(full()).problems);
});

test('a stage that ran and did not prove a claim fails it', () => {
  const faults = allFaults();
  for (const f of FAULT_NAMES) faults.set(f, { caught: false, red: [] });
  const gate = checkClaims({ ...full(), faults });
  assert.ok(gate.problems.some((p) => p.includes(exactByFault[0].id) && /not caught exactly/.test(p)));
  const variants = allVariants();
  variants.set(allVariantSettings()[0], false);
  assert.ok(checkClaims({ ...full(), variants }).problems.some((p) => p.includes(`readings not green: ${allVariantSettings()[0]}`)));
  assert.ok(checkClaims({ ...full(), unitOk: false }).problems.some((p) => /its unit tests failed/.test(p)));
  // live-faults was part of the check (not left out) yet wrote nothing: unproven, and a failure.
  assert.ok(checkClaims({ ...full(), live: undefined }).problems.some((p) => /stage live-faults ran but left no outcomes/.test(p)));
});
