// `fch app live sweep [--yes]`: what a live app gate left on the account (a run killed without its
// cleanup, say). Only calls a gate places or answers are its own: calls from FREECLIMB_NUMBER_A to
// FREECLIMB_APP_NUMBER (callers), and calls to HARNESS_APP_PEOPLE_NUMBERS (people the app called). Those
// still active are listed, with every conference one of them is in; --yes ends them. The app's other
// calls (real callers on its number) are never touched.
import type { CliIo } from '../../cli/percl-validate';
import type { HarnessConfig } from '../../config';
import type { FreeClimbClient } from '../../client/freeclimb-client';
import { describeError, liveClient, printer } from '../../live/setup';
import type { CallResult } from '../../schemas/rest';
import type { AppLiveConfig } from './live-config';

/** Whether `call` is one a live app gate places or answers. */
export function isGateCall(call: Pick<CallResult, 'from' | 'to'>, cfg: Pick<HarnessConfig, 'numberA'>, live: AppLiveConfig): boolean {
  return (call.from === cfg.numberA && call.to === live.appNumber) || live.peopleNumbers.includes(call.to);
}

export async function runAppLiveSweep(cfg: HarnessConfig, live: AppLiveConfig, io: Pick<CliIo, 'stdout' | 'stderr'>, yes: boolean): Promise<number> {
  const print = printer(cfg, io);
  let client: FreeClimbClient | undefined;
  try {
    client = await liveClient(cfg);
    const calls = (await client.listCalls({ active: true })).filter((c) => isGateCall(c, cfg, live) && !['completed', 'canceled', 'failed', 'busy', 'noAnswer'].includes(c.status));
    const ids = new Set(calls.map((c) => c.callId));
    const conferences: string[] = [];
    for (const status of ['empty', 'populated', 'inProgress']) {
      for (const conf of await client.listConferences({ status })) {
        if (conf.status === 'terminated') continue;
        const participants = await client.listParticipants(conf.conferenceId).catch(() => []);
        if (participants.some((p) => ids.has(p.callId))) conferences.push(conf.conferenceId);
      }
    }
    if (calls.length === 0) {
      print.out(`no live app gate call is left (none active from ${cfg.numberA} to ${live.appNumber} or to the people's numbers)`);
      return 0;
    }
    print.out(`${calls.length} call(s) of a live app gate still active, in ${conferences.length} conference(s):`);
    for (const c of calls) print.out(`  call ${c.callId}  ${c.from} → ${c.to}  ${c.status}`);
    for (const id of conferences) print.out(`  conference ${id}`);
    if (!yes) {
      print.out('dry run: pass --yes to end them');
      return 0;
    }
    for (const id of conferences) await client.terminateConference(id);
    for (const c of calls) await client.updateCall(c.callId, c.status === 'queued' || c.status === 'ringing' ? 'canceled' : 'completed').catch(() => undefined);
    print.out(`ended ${calls.length} call(s) and ${conferences.length} conference(s)`);
    return 0;
  } catch (e) {
    print.err(`fch app live sweep: ${describeError(cfg, e)}`);
    return 1;
  } finally {
    await client?.dispose();
  }
}
