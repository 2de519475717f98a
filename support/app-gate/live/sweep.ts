// `fch app live sweep [--yes]`: what a live app gate left on the account (a run killed without its
// cleanup, say). Only calls a gate places or answers are its own: calls from FREECLIMB_NUMBER_A to
// FREECLIMB_APP_NUMBER (callers), and calls to HARNESS_APP_PEOPLE_NUMBERS (people the app called). Those
// still active are listed, with every conference one of them is in; --yes ends them. The app's other
// calls (real callers on its number) are never touched.
import type { CliIo } from '../../cli-io';
import type { HarnessConfig } from '../../config';
import type { FreeClimbClient } from '../../client/freeclimb-client';
import { describeError, liveClient, printer } from '../../live/setup';
import type { CallResult } from '../../schemas/rest';
import type { AppLiveConfig } from './live-config';

/** The numbers that make a call a gate's: the app's and the people's. */
export type GateNumbers = Pick<AppLiveConfig, 'appNumber' | 'peopleNumbers'>;

/** Whether `call` is one a live app gate places or answers. */
export function isGateCall(call: Pick<CallResult, 'from' | 'to'>, cfg: Pick<HarnessConfig, 'numberA'>, live: GateNumbers): boolean {
  return (call.from === cfg.numberA && call.to === live.appNumber) || live.peopleNumbers.includes(call.to);
}

/** What live app gates left on the account: their active calls and every conference one of them is in. */
export interface GateLeftovers {
  calls: CallResult[];
  conferences: string[];
}

export async function findGateLeftovers(client: FreeClimbClient, cfg: Pick<HarnessConfig, 'numberA'>, live: GateNumbers): Promise<GateLeftovers> {
  const calls = (await client.listCalls({ active: true })).filter((c) => isGateCall(c, cfg, live) && !['completed', 'canceled', 'failed', 'busy', 'noAnswer'].includes(c.status));
  const ids = new Set(calls.map((c) => c.callId));
  const conferences: string[] = [];
  // No gate call left: no conference to look into (saves a participants request per conference).
  for (const status of ids.size ? ['empty', 'populated', 'inProgress'] : []) {
    for (const conf of await client.listConferences({ status })) {
      if (conf.status === 'terminated') continue;
      const participants = await client.listParticipants(conf.conferenceId).catch(() => []);
      if (participants.some((p) => ids.has(p.callId))) conferences.push(conf.conferenceId);
    }
  }
  return { calls, conferences };
}

export function describeGateLeftovers(found: GateLeftovers): string[] {
  return [`${found.calls.length} call(s) of a live app gate still active, in ${found.conferences.length} conference(s):`, ...found.calls.map((c) => `  call ${c.callId}  ${c.from} → ${c.to}  ${c.status}`), ...found.conferences.map((id) => `  conference ${id}`)];
}

/** Ends the conferences first (their participants' calls end with them), then whatever call is left. */
export async function endGateLeftovers(client: FreeClimbClient, found: GateLeftovers): Promise<string> {
  for (const id of found.conferences) await client.terminateConference(id);
  for (const c of found.calls) await client.updateCall(c.callId, c.status === 'queued' || c.status === 'ringing' ? 'canceled' : 'completed').catch(() => undefined);
  return `ended ${found.calls.length} call(s) and ${found.conferences.length} conference(s) of live app gates`;
}

export async function runAppLiveSweep(cfg: HarnessConfig, live: AppLiveConfig, io: Pick<CliIo, 'stdout' | 'stderr'>, yes: boolean): Promise<number> {
  const print = printer(cfg, io);
  let client: FreeClimbClient | undefined;
  try {
    client = await liveClient(cfg);
    const found = await findGateLeftovers(client, cfg, live);
    if (found.calls.length === 0) {
      print.out(`no live app gate call is left (none active from ${cfg.numberA} to ${live.appNumber} or to the people's numbers)`);
      return 0;
    }
    for (const line of describeGateLeftovers(found)) print.out(line);
    if (!yes) {
      print.out('dry run: pass --yes to end them');
      return 0;
    }
    print.out(await endGateLeftovers(client, found));
    return 0;
  } catch (e) {
    print.err(`fch app live sweep: ${describeError(cfg, e)}`);
    return 1;
  } finally {
    await client?.dispose();
  }
}
