// One cell of the clause × run matrix: what the scenarios of one clause did in one run. In a fault
// column a red scenario is usually good news: the deliberate deviation was caught. It counts as
// caught when the fault declares it breaks a claim of the clause, or when the fault selects the
// scenario the way `npm run check` does (its tag expression or its steps); a green clause the fault
// declares it breaks is the problem there (the deviation went unnoticed).
import parseTagExpression from '@cucumber/tag-expressions';
import { uncheckable, type Clause } from '../../../features/clauses';
import { FAULTS, stepsCatch, faultCatches, type FaultName } from '../../simulator/faults';
import type { Column, Scenario } from './runs';

export type CellState = 'pass' | 'fail' | 'expected-fail' | 'skipped' | 'uncheckable' | 'not-run';

export interface Cell {
  state: CellState;
  /** One line saying why the cell has its state. */
  reason: string;
  scenarios: Scenario[];
  /** The scenario the cell links to: the first failing one, else the first. */
  target?: Scenario;
  /** For fail cells: a clause the fault breaks that stayed green. */
  missed?: boolean;
}

export const firstLine = (s: string | undefined) => (s ?? '').split('\n').find((l) => l.trim())?.trim() ?? '';

const isFault = (name: string | undefined): name is FaultName => !!name && Object.prototype.hasOwnProperty.call(FAULTS, name);

/** Clause ids whose claims the fault breaks (`C05a` → `C05`). */
export function clausesBrokenBy(fault: string | undefined): Set<string> {
  if (!isFault(fault)) return new Set();
  return new Set((FAULTS[fault].breaks as readonly string[]).map((claim) => claim.slice(0, 3)));
}

function selectedByFault(fault: FaultName, s: Scenario): boolean {
  try {
    if (parseTagExpression(faultCatches(fault).tags).evaluate(s.tags)) return true;
  } catch {
    // an unparsable expression selects nothing here; the self-check reports it
  }
  return stepsCatch(fault, s.steps);
}

export function cellFor(column: Column, clause: Clause): Cell {
  const scenarios = column.scenarios.filter((s) => s.clauses.includes(clause.id));
  if (scenarios.length === 0) {
    const why = uncheckable(clause);
    return why ? { state: 'uncheckable', reason: `uncheckable: ${why}`, scenarios } : { state: 'not-run', reason: 'no scenario of this clause in this run', scenarios };
  }
  const failing = scenarios.filter((s) => s.status === 'failed');
  const target = failing[0] ?? scenarios[0];
  const declared = clausesBrokenBy(column.fault).has(clause.id);
  if (failing.length && column.badSetup) {
    return { state: 'expected-fail', reason: `refused, as it should: this run uses ${column.badSetup}`, scenarios, target };
  }
  if (failing.length) {
    const fault = column.fault;
    if (isFault(fault) && failing.every((s) => declared || selectedByFault(fault, s))) {
      return { state: 'expected-fail', reason: `caught: fault ${fault} turned ${failing.length} scenario(s) red, as it should`, scenarios, target };
    }
    const why = firstLine(failing[0].message) || failing[0].rawStatus;
    return { state: 'fail', reason: fault ? `fails unexpectedly under fault ${fault}: ${why}` : why, scenarios, target };
  }
  if (scenarios.every((s) => s.status === 'skipped')) {
    return { state: 'skipped', reason: `skipped: ${scenarios[0].skipReason ?? 'no reason recorded'}`, scenarios, target };
  }
  if (declared) {
    const claims = (FAULTS[column.fault as FaultName].breaks as readonly string[]).filter((c) => c.startsWith(clause.id)).join(', ');
    return { state: 'fail', missed: true, reason: `not caught: fault ${column.fault} breaks ${claims}, yet every scenario of ${clause.id} passed`, scenarios, target };
  }
  return { state: 'pass', reason: 'passed', scenarios, target };
}
