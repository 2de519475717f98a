// Before a finding's .feature is kept, the gate itself runs it on a fresh app (the `fch app test`
// machinery: a Cucumber run per reading, its own simulator and app): kept only if it fails there
// for the invariant's reason under the default reading; then under the other readings asked for,
// to say "fails under every reading" or "fails only under …". All the findings of an exploration
// go in one Cucumber run per reading (each scenario is @fresh-app): a run's worker start costs
// more than most of its scenarios.
import { basename, join } from 'node:path';
import type { GateVerdict, InvariantCode } from '../../schemas/explore';
import type { GateScenarioResult } from '../../report/cucumber-results';
import { runReadings } from '../readings';
import { invariant } from './invariants';

export async function verifyFeature(feature: string, code: InvariantCode, readings: readonly string[], workDir: string): Promise<GateVerdict> {
  return (await verifyFeatures([{ feature, code }], readings, workDir))[0];
}

export async function verifyFeatures(items: readonly { feature: string; code: InvariantCode }[], readings: readonly string[], workDir: string): Promise<GateVerdict[]> {
  if (items.length === 0) return [];
  const paths = items.map((i) => i.feature);
  const scenarioOf = (run: { scenarios: GateScenarioResult[] } | undefined, feature: string) => run?.scenarios.find((s) => basename(s.uri) === basename(feature));
  const failedFor = (s: GateScenarioResult | undefined, code: InvariantCode) => s !== undefined && s.status === 'failed' && invariant(code).gateReason.test(s.error ?? '');
  const [first] = await runReadings([{ label: 'default', paths }], join(workDir, 'default'), join(workDir, 'allure'), () => undefined);
  const reproduced = items.map((i) => failedFor(scenarioOf(first, i.feature), i.code));
  const others = readings.filter((r) => r !== 'default');
  // Only the findings the default reading reproduced go on to the other readings.
  const kept = items.filter((_i, n) => reproduced[n]).map((i) => i.feature);
  const runs = others.length && kept.length ? await runReadings(others.map((label) => ({ label, paths: kept })), join(workDir, 'readings'), join(workDir, 'allure'), () => undefined) : [];
  return items.map((item, n): GateVerdict => {
    const s = scenarioOf(first, item.feature);
    const firstError = s?.error;
    if (!reproduced[n]) {
      const why = s ? `${s.status}${firstError ? `: ${firstError.split('\n')[0]}` : ''}` : `no scenario ran: ${first?.output.trim().split('\n').slice(-3).join(' / ') ?? 'no run'}`;
      return { reproduced: false, readings: `not reproduced by the gate under the default reading (${why})`, failedUnder: [], passedUnder: ['default'], reason: firstError?.split('\n')[0] };
    }
    const failedUnder = ['default', ...runs.filter((r) => failedFor(scenarioOf(r, item.feature), item.code)).map((r) => r.label)];
    const passedUnder = runs.filter((r) => !failedFor(scenarioOf(r, item.feature), item.code)).map((r) => r.label);
    const text = passedUnder.length === 0 ? (others.length ? 'fails under every reading' : 'fails under the default reading (the only one checked)') : `fails only under ${failedUnder.join(', ')}`;
    return { reproduced: true, readings: text, failedUnder, passedUnder, reason: firstError?.split('\n')[0] };
  });
}
