// Simulated-time compression: an hour-long recorded conference driven in process (nock adapter,
// real loopback webhooks to a CallbackReceiver), timed on the wall clock.
import { performance } from 'node:perf_hooks';
import { CallbackReceiver } from '../../support/callbacks/receiver';
import { createSimulator } from '../../support/simulator';
import { installNock } from '../../support/simulator/adapters/nock';

export interface CompressionRun {
  realMs: number;
  simulatedSec: number;
  /** Simulated ms per real ms. */
  factor: number;
}

const HOUR_MS = 3_600_000;

export async function hourLongConference(): Promise<CompressionRun> {
  const sim = createSimulator();
  const uninstall = installNock(sim);
  const { accountId, apiKey, signingSecret } = sim.credentials();
  const receiver = await CallbackReceiver.start({ signingSecret, timeoutMs: 5_000 });
  const inbox = receiver.openInbox('bench');
  const auth = `Basic ${Buffer.from(`${accountId}:${apiKey}`).toString('base64')}`;
  const rest = async (path: string, body: unknown): Promise<Record<string, unknown>> => {
    const res = await fetch(`${sim.apiBaseUrl}/Accounts/${accountId}${path}`, {
      method: 'POST',
      headers: { authorization: auth, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`POST ${path}: HTTP ${res.status} ${text}`);
    return text ? (JSON.parse(text) as Record<string, unknown>) : {};
  };
  const field = (body: unknown, name: string) => (body as Record<string, unknown> | undefined)?.[name];

  try {
    const started = performance.now();
    const { conferenceId } = await rest('/Conferences', { record: true, statusCallbackUrl: inbox.url('status') });
    inbox.answer('connect', () => [{ AddToConference: { conferenceId, startConfOnEnter: true } }]);
    const { callId } = await rest('/Calls', { from: '+15550100001', to: '+15550100999', callConnectUrl: inbox.url('connect') });
    await inbox.waitFor((r) => field(r.body, 'status') === 'inProgress', { description: 'conference inProgress' });
    await sim.advance(HOUR_MS);
    await rest(`/Calls/${callId}`, { status: 'completed' });
    const report = await inbox.waitFor((r) => typeof field(r.body, 'recordingDurationSec') === 'number', { description: 'the recording report' });
    const realMs = performance.now() - started;

    const problems = [...inbox.problems.map((p) => p.message), ...sim.errors.map((e) => e.message)];
    if (problems.length) throw new Error(`the conference ran with problems: ${problems.join('; ')}`);
    const simulatedSec = field(report.body, 'recordingDurationSec') as number;
    if (simulatedSec !== HOUR_MS / 1000) throw new Error(`recordingDurationSec is ${simulatedSec}, expected ${HOUR_MS / 1000}`);
    return { realMs, simulatedSec, factor: (simulatedSec * 1000) / realMs };
  } finally {
    await receiver.close();
    uninstall();
    sim.close();
  }
}
