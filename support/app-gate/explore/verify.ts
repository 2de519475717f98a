// Before a finding's .feature is kept, the gate itself runs it on a fresh app (the `fch app test`
// machinery: a Cucumber run per reading, its own simulator and app): kept only if it fails there
// for the invariant's reason under the default reading; then under every reading, to say "fails
// under every reading" or "fails only under …".
import { join } from 'node:path';
import type { GateVerdict, InvariantCode } from '../../schemas/explore';
import { runReadings } from '../readings';
import { invariant } from './invariants';

export async function verifyFeature(feature: string, code: InvariantCode, readings: readonly string[], workDir: string): Promise<GateVerdict> {
  const reason = invariant(code).gateReason;
  const failedFor = (run: { scenarios: { status: string; error?: string }[] }) => run.scenarios.length > 0 && run.scenarios.every((s) => s.status === 'failed' && reason.test(s.error ?? ''));
  const [first] = await runReadings([{ label: 'default', paths: [feature] }], join(workDir, 'default'), join(workDir, 'allure'), () => undefined);
  const firstError = first?.scenarios[0]?.error;
  if (!first || !failedFor(first)) {
    const why = first?.scenarios[0] ? `${first.scenarios[0].status}${firstError ? `: ${firstError.split('\n')[0]}` : ''}` : `no scenario ran: ${first?.output.trim().split('\n').slice(-3).join(' / ') ?? 'no run'}`;
    return { reproduced: false, readings: `not reproduced by the gate under the default reading (${why})`, failedUnder: [], passedUnder: ['default'], reason: firstError?.split('\n')[0] };
  }
  const others = readings.filter((r) => r !== 'default');
  const runs = others.length ? await runReadings(others.map((label) => ({ label, paths: [feature] })), join(workDir, 'readings'), join(workDir, 'allure'), () => undefined) : [];
  const failedUnder = ['default', ...runs.filter(failedFor).map((r) => r.label)];
  const passedUnder = runs.filter((r) => !failedFor(r)).map((r) => r.label);
  const text = passedUnder.length === 0 ? (others.length ? 'fails under every reading' : 'fails under the default reading (the only one checked)') : `fails only under ${failedUnder.join(', ')}`;
  return { reproduced: true, readings: text, failedUnder, passedUnder, reason: firstError?.split('\n')[0] };
}
