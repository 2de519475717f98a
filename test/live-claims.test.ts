// Live proof of claims: the simulator's clock follows the wall clock when served in real time (so
// a live run's bounds hold against it), and the conformance page says per claim whether it is
// proven live or why not.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { CLAIMS, liveObservable } from '../features/clauses';
import { VirtualClock } from '../support/simulator/clock';
import { readClaimProofs, renderClaims } from '../support/report/conformance/claims';
import { tempDir } from './helpers/temp-dir';

describe('a clock that follows a source', () => {
  it('moves with the source, past a timer not fired yet, never backwards; a late timer fires at the time it is fired', async () => {
    let wall = 1000;
    const clock = new VirtualClock(1000);
    clock.follow(() => wall);
    wall = 1500;
    assert.equal(clock.now(), 1500);
    const fired: number[] = [];
    clock.after(100, () => fired.push(clock.now()));
    clock.after(700, () => fired.push(clock.now()));
    wall = 2000;
    assert.equal(clock.now(), 2000, 'not held at the timer due at 1600: a recording that began before it still has a length');
    await clock.advance(0, async () => undefined);
    assert.deepEqual(fired, [2000], 'the late timer fired, at the time it was fired; the one due at 2200 waits');
    wall = 2300;
    await clock.advance(0, async () => undefined);
    assert.deepEqual(fired, [2000, 2300]);
    assert.equal(clock.now(), 2300);
    wall = 1200;
    assert.equal(clock.now(), 2300, 'a source that goes back does not move time back');
  });
});

describe('the claims section of the conformance page', () => {
  it('says per claim: proven live, or why not live', () => {
    const dir = tempDir('claims');
    mkdirSync(join(dir, 'self-check'));
    const observable = CLAIMS.filter(liveObservable);
    const proofs = CLAIMS.map((c) => ({ id: c.id, clause: c.clause, kind: c.kind, mock: 'mock proof', mockProven: true, live: liveObservable(c) ? 'proven live: fault x' : `not live: ${c.notLive ?? 'other'}`, liveProven: liveObservable(c) }));
    writeFileSync(join(dir, 'self-check', 'claim-proof.json'), JSON.stringify({ claims: proofs }));
    const html = renderClaims(readClaimProofs(dir));
    assert.match(html, new RegExp(`<b>${observable.length}/${observable.length}</b> live-observable claims proven live`));
    const c04b = /<tr data-claim="C04b">([\s\S]*?)<\/tr>/.exec(html)?.[1] ?? '';
    assert.match(c04b, /not live: when the recording starts/);
  });

  it('without claim gate results, still says from the catalog why a claim is not live', () => {
    const html = renderClaims(readClaimProofs(tempDir('claims')));
    assert.match(html, /No claim gate results/);
    assert.match(/<tr data-claim="C08a">([\s\S]*?)<\/tr>/.exec(html)?.[1] ?? '', /not live: when the recording starts/);
  });
});

describe('the catalog', () => {
  it('gives a reason not to observe live only for exact claims about FreeClimb', () => {
    for (const c of CLAIMS.filter((x) => x.notLive)) assert.ok(c.kind === 'exact' && !c.provenBy && !c.uncheckable, c.id);
  });
});
