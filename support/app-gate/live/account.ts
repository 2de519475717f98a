// `fch app live setup` and `fch app live doctor`: the account side of a live app gate. Setup keeps
// two applications, idempotently like `live:setup` (created once, updated only when a URL differs,
// a number re-pointed only when it is routed elsewhere; a second run changes nothing):
//   fch-app-live          the app's application: voiceUrl, statusCallbackUrl and callConnectUrl at the
//                         harness's public URL (forwarded to the app); FREECLIMB_APP_NUMBER routes to it;
//   fch-app-live-harness  the harness's own legs (callers' calls, the people's numbers, which route to it).
// Doctor checks each piece, one line each, with a one-line fix.
import type { CliIo } from '../../cli-io';
import type { AppUnderTestConfig, HarnessConfig } from '../../config';
import type { FreeClimbClient } from '../../client/freeclimb-client';
import { describeError, findIncomingNumber, liveClient, printer, type Printer } from '../../live/setup';
import { resolvePublicUrl } from '../../live/tunnel';
import type { ApplicationResult } from '../../schemas/rest';
import { signatureHeader } from '../../signature';
import { collectsDigits } from './answers';
import { appLiveUrls, HARNESS_PATHS, type AppLiveConfig } from './live-config';
import { LiveAppRun } from './live-run';

type Urls = { voiceUrl: string; statusCallbackUrl?: string; callConnectUrl?: string };
const FIELDS = ['voiceUrl', 'statusCallbackUrl', 'callConnectUrl'] as const;

function differing(app: ApplicationResult, want: Urls): string[] {
  return FIELDS.filter((f) => (app[f] ?? undefined) !== (want[f] ?? undefined) && !(want[f] === undefined && !app[f]));
}

async function findApp(client: FreeClimbClient, alias: string): Promise<ApplicationResult | undefined> {
  return (await client.listApplications({ alias })).find((a) => a.alias === alias);
}

/** The numbers setup routes, and to which application alias; checked for clashes first. */
function routing(cfg: HarnessConfig, live: AppLiveConfig): { number: string; alias: string; variable: string }[] {
  return [{ number: live.appNumber, alias: live.appAlias, variable: 'FREECLIMB_APP_NUMBER' }, ...live.peopleNumbers.map((number) => ({ number, alias: live.harnessAlias, variable: 'HARNESS_APP_PEOPLE_NUMBERS' }))];
}

/** Numbers that would take a number away from live mode (A places the callers' calls, B is the suite's). */
function clashes(cfg: HarnessConfig, live: AppLiveConfig): string[] {
  const all = [live.appNumber, ...live.peopleNumbers];
  const problems: string[] = [];
  for (const n of all) {
    if (n === cfg.numberA) problems.push(`${n} is FREECLIMB_NUMBER_A, the number the harness's callers call from; give the app and the people other numbers of the account`);
    if (n === cfg.numberB) problems.push(`${n} is FREECLIMB_NUMBER_B, routed to live mode's fch-harness; give the app and the people other numbers of the account`);
  }
  if (new Set(all).size !== all.length) problems.push('FREECLIMB_APP_NUMBER and HARNESS_APP_PEOPLE_NUMBERS must all differ');
  return problems;
}

export async function runAppLiveSetup(cfg: HarnessConfig, appCfg: AppUnderTestConfig, live: AppLiveConfig, io: Pick<CliIo, 'stdout' | 'stderr'>): Promise<number> {
  const print = printer(cfg, io);
  const clash = clashes(cfg, live);
  if (clash.length) {
    clash.forEach((c) => print.err(`fch app live setup: ${c}`));
    return 1;
  }
  let client: FreeClimbClient | undefined;
  const tunnel = await resolvePublicUrl(cfg);
  try {
    print.err(`fch app live setup: public URL ${tunnel.publicUrl}`);
    const urls = appLiveUrls(tunnel.publicUrl, appCfg);
    client = await liveClient(cfg);
    // Every number first: if one is missing, nothing is created or changed.
    const numbers = [];
    for (const r of routing(cfg, live)) {
      const found = await findIncomingNumber(client, r.number);
      if (!found) {
        print.err(`fch app live setup: ${r.number} (${r.variable}) is not an incoming number on account ${cfg.accountId}; buy or port it to this account, or set ${r.variable} to a number the account owns`);
        return 1;
      }
      numbers.push({ ...r, found });
    }
    const ids: Record<string, string> = {};
    for (const [alias, want] of [[live.appAlias, urls.app], [live.harnessAlias, urls.harness]] as const) {
      const existing = await findApp(client, alias);
      if (!existing) {
        const created = await client.createApplication({ alias, ...want });
        ids[alias] = created.applicationId;
        print.out(`application ${alias} ${created.applicationId}: created`);
        continue;
      }
      ids[alias] = existing.applicationId;
      const diff = differing(existing, want);
      if (diff.length) {
        await client.updateApplication(existing.applicationId, { alias, ...want });
        print.out(`application ${alias} ${existing.applicationId}: updated (${diff.join(', ')})`);
      } else print.out(`application ${alias} ${existing.applicationId}: unchanged`);
    }
    for (const n of numbers) {
      if (n.found.applicationId === ids[n.alias]) print.out(`number ${n.number} ${n.found.phoneNumberId}: unchanged`);
      else {
        await client.updateIncomingNumber(n.found.phoneNumberId, { applicationId: ids[n.alias] });
        print.out(`number ${n.number} ${n.found.phoneNumberId}: assigned to ${n.alias}${n.found.applicationId ? ` (was ${n.found.applicationId})` : ''}`);
      }
    }
    return 0;
  } catch (e) {
    print.err(`fch app live setup: ${describeError(cfg, e)}`);
    return 1;
  } finally {
    await client?.dispose();
    await tunnel.close();
  }
}

// ------------------------------------------------------------------ doctor

interface Row {
  check: string;
  ok: boolean | 'skip';
  text: string;
}

export async function runAppLiveDoctor(cfg: HarnessConfig, appCfg: AppUnderTestConfig, live: AppLiveConfig, io: Pick<CliIo, 'stdout' | 'stderr'>): Promise<number> {
  const print = printer(cfg, io);
  const rows: Row[] = [];
  const add = (check: string, ok: boolean | 'skip', text: string) => rows.push({ check, ok, text });
  const clash = clashes(cfg, live);
  add('numbers apart', clash.length === 0, clash[0] ?? `app ${live.appNumber}, people ${live.peopleNumbers.join(', ') || 'none'}, apart from live mode's A and B`);
  let client: FreeClimbClient | undefined;
  const tunnel = await resolvePublicUrl(cfg);
  try {
    client = await liveClient(cfg);
    const urls = appLiveUrls(tunnel.publicUrl, appCfg);
    let apps: (ApplicationResult | undefined)[] = [];
    try {
      apps = [await findApp(client, live.appAlias), await findApp(client, live.harnessAlias)];
      add('credentials', true, `account ${cfg.accountId} answers`);
    } catch (e) {
      add('credentials', false, `${describeError(cfg, e)}; fix FREECLIMB_ACCOUNT_ID / FREECLIMB_API_KEY`);
      return finish(print, rows);
    }
    for (const [i, alias] of [live.appAlias, live.harnessAlias].entries()) {
      const app = apps[i];
      const want = i === 0 ? urls.app : urls.harness;
      const diff = app ? differing(app, want) : [];
      add(`application ${alias}`, !!app && diff.length === 0, !app ? 'missing; run `fch app live setup`' : diff.length ? `${diff.join(', ')} not at ${tunnel.publicUrl}; run \`fch app live setup\`` : `its URLs are at ${tunnel.publicUrl}`);
    }
    const caller = await findIncomingNumber(client, cfg.numberA);
    add('callers\' number', !!caller, caller ? `${cfg.numberA} (FREECLIMB_NUMBER_A) is the account's` : `${cfg.numberA} is not on the account; set FREECLIMB_NUMBER_A to a number the account owns`);
    for (const r of routing(cfg, live)) {
      const found = await findIncomingNumber(client, r.number);
      const wantId = r.alias === live.appAlias ? apps[0]?.applicationId : apps[1]?.applicationId;
      add(`number ${r.number}`, !!found && !!wantId && found.applicationId === wantId, !found ? `not on the account; buy or port it, or change ${r.variable}` : found.applicationId !== wantId ? `not routed to ${r.alias}; run \`fch app live setup\`` : `routed to ${r.alias}`);
    }
    if (rows.some((r) => r.ok === false)) {
      add('public URL and app', 'skip', 'needs the checks above');
      return finish(print, rows);
    }
    await throughTheFace(cfg, appCfg, live, add);
    return finish(print, rows);
  } finally {
    await client?.dispose();
    await tunnel.close();
  }
}

/** Starts the face and the app as a run does, then asks through the public URL: the harness, a signed and an unsigned request. */
async function throughTheFace(cfg: HarnessConfig, appCfg: AppUnderTestConfig, live: AppLiveConfig, add: (check: string, ok: boolean | 'skip', text: string) => void): Promise<void> {
  const run = new LiveAppRun(cfg, appCfg, live);
  try {
    try {
      await run.start();
    } catch (e) {
      add('the app starts', false, `${run.redact((e as Error).message.split('\n')[0])}; fix HARNESS_APP_COMMAND / HARNESS_APP_URL`);
      return;
    }
    add('the app starts', true, appCfg.command ? `accepts connections at ${appCfg.url}` : `already running at ${appCfg.url}`);
    const ping = await post(run.publicUrl + HARNESS_PATHS.ping, '{}', {}, cfg.requestTimeoutMs);
    add('public URL reaches the harness', ping.status === 200, ping.status === 200 ? `${run.publicUrl} answers on port ${run.face.port}` : `${ping.error ?? `HTTP ${ping.status}`}: point HARNESS_PUBLIC_URL (or the tunnel) at port ${cfg.port}`);
    if (ping.status !== 200) return;
    const raw = JSON.stringify({ accountId: cfg.accountId, callId: 'CAfchdoctor0000000000000000000000000000', callStatus: 'ringing', conferenceId: null, direction: 'inbound', from: cfg.numberA, parentCallId: null, queueId: null, requestType: 'inboundCall', to: live.appNumber });
    const signed = await post(run.publicUrl + appCfg.voicePath, raw, { 'freeclimb-signature': signatureHeader(raw, cfg.signingSecret, Math.floor(Date.now() / 1000)) }, cfg.requestTimeoutMs);
    const okSigned = signed.status !== undefined && signed.status >= 200 && signed.status < 300;
    add('a signed request reaches the app', okSigned, okSigned ? `inboundCall through ${run.publicUrl}${appCfg.voicePath}: HTTP ${signed.status}${collectsDigits(signed.text) ? ', GetDigits' : ''}` : `${signed.error ?? `HTTP ${signed.status}`}: the app must accept FreeClimb-signed requests with FREECLIMB_SIGNING_SECRET at HARNESS_APP_VOICE_PATH=${appCfg.voicePath}`);
    const unsigned = await post(run.publicUrl + appCfg.voicePath, raw, {}, cfg.requestTimeoutMs);
    const okUnsigned = unsigned.status !== undefined && unsigned.status >= 400 && unsigned.status < 500;
    add('an unsigned request is refused', okUnsigned, okUnsigned ? `HTTP ${unsigned.status}` : `${unsigned.error ?? `HTTP ${unsigned.status}`}: the app must refuse requests without a valid FreeClimb-Signature (§4.5)`);
  } finally {
    await run.stop().catch(() => undefined);
  }
}

function finish(print: Printer, rows: Row[]): number {
  const width = Math.max(...rows.map((r) => r.check.length));
  for (const r of rows) print.out(`${r.check.padEnd(width)}  ${(r.ok === 'skip' ? 'SKIP' : r.ok ? 'PASS' : 'FAIL').padEnd(4)}  ${r.text}`);
  const failed = rows.filter((r) => r.ok === false).length;
  print.out(failed ? `${failed} check(s) failed` : 'every check passed');
  return failed ? 1 : 0;
}

async function post(url: string, body: string, headers: Record<string, string>, timeoutMs: number): Promise<{ status?: number; text?: string; error?: string }> {
  try {
    const res = await fetch(url, { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers }, signal: AbortSignal.timeout(timeoutMs) });
    return { status: res.status, text: await res.text() };
  } catch (e) {
    return { error: (e as Error).message };
  }
}
