// A person on an outside phone calls one of the account's numbers (app gating: a "caller"). The
// number's application gets `inboundCall` at its voiceUrl and answers with PerCL; the person
// stays on the line until they hang up or the app ends the call. Kept out of engine.ts because
// the platform suite never needs it: its calls are placed through REST.
import type { Engine } from './engine';
import { SimulatorError } from './engine';
import type { CallState } from './state';

export function callFromPhone(engine: Engine, input: { from: string; to: string }): CallState {
  const number = [...engine.state.numbers.values()].find((n) => n.phoneNumber === input.to);
  if (!number) throw new SimulatorError(404, `${input.to} is not a number of this account`);
  const app = number.applicationId ? engine.state.applications.get(number.applicationId) : undefined;
  if (!app?.voiceUrl) throw new SimulatorError(409, `${input.to} is not routed to an application with a voiceUrl`);
  const call = engine.newCall({
    parentCallId: null,
    from: input.from,
    to: input.to,
    direction: 'inbound',
    applicationId: app.applicationId,
    phoneNumberId: number.phoneNumberId,
    callConnectUrl: app.callConnectUrl,
    statusCallbackUrl: app.statusCallbackUrl,
    peer: { kind: 'phone' },
    sendDigits: null,
  });
  call.status = 'ringing';
  call.startTime = engine.now;
  engine.trace(`inbound call ${call.callId} ${input.from} → ${input.to}`);
  engine.opts.dispatcher.webhook(
    app.voiceUrl,
    { accountId: engine.state.accountId, requestType: 'inboundCall', ...engine.callFields(call), parentCallId: null },
    engine.now,
    (answer) => engine.runner.runAnswer(call, answer),
  );
  return call;
}
