// Executes the PerCL an app returns, one call leg at a time (reference §5). The app's answer is
// checked with the same validator the harness uses; an invalid script terminates the leg, as the
// call-control docs say (§6.20). Waiting commands (Pause, GetDigits) run on the virtual clock.
import { validatePercl } from '../percl/validate';
import type { Attributes, Command } from '../schemas/percl';
import type { WebhookAnswer } from './dispatcher';
import { SimulatorError, type Engine, type ScriptRunner } from './engine';
import type { CallState } from './state';

const MAX_REDIRECTS = 256; // over a call's lifetime (§5.3 Redirect)
// GetDigits timeouts are not documented; these are conventional telephony values.
const DEFAULT_INITIAL_TIMEOUT_MS = 5000;
const DEFAULT_DIGIT_TIMEOUT_MS = 2000;

export class PerclRunner implements ScriptRunner {
  constructor(private readonly engine: Engine) {}

  runAnswer(call: CallState, answer: WebhookAnswer, opts: { evenIfEnded?: boolean } = {}): void {
    const e = this.engine;
    if (call.endTime !== null && !opts.evenIfEnded) return;
    if (!answer.ok) {
      e.trace(`webhook for ${call.callId} failed: ${answer.error}`);
      e.endCall(call, 'completed', 'webhookFailed');
      return;
    }
    if (answer.text.trim() === '') {
      // No PerCL: a participant stays where it is, a queued call keeps waiting (the wait loop goes
      // on); any other call has nothing left to do.
      if (call.queueId) e.queues.waitScriptEnded(call);
      else if (!call.conferenceId) e.endCall(call, 'completed', 'appNoPercl');
      return;
    }
    let doc: unknown;
    try {
      doc = JSON.parse(answer.text);
    } catch {
      e.trace(`answer for ${call.callId} is not JSON`);
      e.endCall(call, 'completed', 'appInvalidPercl');
      return;
    }
    const report = validatePercl(doc);
    const legacy = e.has('legacy-attributes-rejected') && report.problems.some((p) => p.rule === 'legacy-attribute');
    if (!report.valid || legacy) {
      e.trace(`invalid PerCL for ${call.callId}: ${report.problems.map((p) => `${p.pointer} ${p.rule}`).join('; ')}`);
      e.endCall(call, 'completed', 'appInvalidPercl');
      return;
    }
    call.scriptToken += 1;
    this.run(call, report.commands, 0, call.scriptToken, opts.evenIfEnded);
  }

  private run(call: CallState, commands: Command[], from: number, token: number, evenIfEnded = false): void {
    const e = this.engine;
    for (let i = from; i < commands.length; i++) {
      if ((call.endTime !== null && !evenIfEnded) || call.scriptToken !== token) return;
      const command = commands[i];
      // Any command answers a ringing inbound call, except Reject and early media (played before answering).
      if (call.direction === 'inbound' && command.name !== 'Reject' && command.name !== 'PlayEarlyMedia') e.answerInbound(call);
      switch (command.name) {
        case 'Say':
        case 'Play':
          // Audio causes no webhook; it is kept only as what the far end heard (app gating).
          this.hear(call, command);
          continue;
        case 'Pause':
          call.pauseTimer = e.opts.clock.after(command.attrs.length, () => {
            call.pauseTimer = undefined;
            this.run(call, commands, i + 1, token);
          });
          return;
        case 'SendDigits':
          e.sendDtmfToPeer(call, command.attrs.digits.replace(/\{\d+\}/g, ''));
          continue;
        case 'Hangup':
          e.endCall(call, 'completed', 'appHangup');
          return;
        case 'Reject':
          e.endCall(call, call.status === 'ringing' ? 'canceled' : 'completed', 'appReject');
          return;
        case 'Redirect':
          this.redirect(call, command.attrs.actionUrl);
          if (e.has('commands-after-terminal-run')) continue;
          return;
        case 'CreateConference':
          if (e.has('percl-create-ignored')) {
            e.trace(`CreateConference on ${call.callId} ignored (fault)`);
            return;
          }
          e.createConference(command.attrs, call);
          return;
        case 'AddToConference':
          if (!e.join(call, command.attrs)) e.endCall(call, 'completed', 'perclProcessingError');
          return;
        case 'RemoveFromConference':
          if (call.conferenceId) e.leave(call, 'removed');
          return;
        case 'TerminateConference':
          this.terminateOwnConference(call);
          return;
        case 'SetTalk':
        case 'SetListen':
        case 'SetDTMFPassThrough':
          this.setPrivilege(call, command);
          continue;
        case 'GetDigits':
          this.getDigits(call, command.attrs, token);
          return;
        case 'OutDial':
          this.outDial(call, command.attrs);
          return;
        case 'StartRecordCall':
          e.callRecording.startRecordCall(call);
          continue;
        case 'RecordUtterance':
          e.callRecording.recordUtterance(call, command.attrs);
          return;
        case 'GetSpeech':
          this.hearPrompts(call, command.attrs.prompts);
          e.speech.start(call, command.attrs);
          return;
        case 'Sms':
          // Non-blocking: the message is sent and the script goes on (DOC:sms-4).
          e.messages.deliver(e.messages.send(command.attrs, call));
          if (e.has('sms-ends-script')) return;
          continue;
        case 'PlayEarlyMedia':
          // DOC:playearlymedia: heard before the inbound call is answered. Once the call is answered
          // (or on an outbound call) the reference gives it no effect: nothing plays.
          if (call.direction === 'inbound' && call.status === 'ringing') this.hear(call, { name: 'Play', attrs: command.attrs });
          else e.trace(`PlayEarlyMedia on ${call.callId}: the call is already answered; nothing plays`);
          continue;
        case 'Enqueue':
          e.queues.enqueue(call, command.attrs);
          return;
        case 'Dequeue':
          if (call.queueId) e.queues.dequeue(call, 'percl');
          else {
            // [AMBIGUOUS] the docs do not say what a Dequeue does in a call that is not queued; like
            // an AddToConference that cannot be carried out, it ends the call.
            e.trace(`Dequeue on ${call.callId}: the call is not in a queue`);
            e.endCall(call, 'completed', 'perclProcessingError');
          }
          return;
        case 'TranscribeUtterance':
          this.hearPrompts(call, command.attrs.prompts);
          e.transcription.start(call, command.attrs);
          return;
        case 'Park':
        case 'Unpark':
          // Valid PerCL whose webhooks the reference does not describe (no requestType is documented
          // for Park's waitUrl, notificationUrl or actionUrl): ending the call says so in the
          // conversation instead of inventing them.
          e.trace(`${command.name} on ${call.callId} is not simulated yet; the call ends`);
          e.endCall(call, 'completed', 'perclProcessingError');
          return;
        default: {
          // A command added to the schemas must be given its execution here: this stops compiling.
          const unhandled: never = command;
          throw new Error(`PerCL command ${(unhandled as Command).name} has no execution in the simulator`);
        }
      }
    }
    // A queued call's wait script that runs out is requested again (the Enqueue waitUrl loop).
    if (call.queueId && call.endTime === null && call.scriptToken === token) {
      e.queues.waitScriptEnded(call);
      return;
    }
    // A script that runs out without a terminal command hangs up (§5.1), unless the call sits in a
    // conference: call-control answers such as [SetTalk] leave the participant where it is.
    if (e.has('script-end-keeps-call')) return;
    if (call.endTime === null && call.scriptToken === token && !call.conferenceId) e.endCall(call, 'completed', 'appHangup');
  }

  private redirect(call: CallState, actionUrl: string): void {
    const e = this.engine;
    call.redirects += 1;
    if (call.redirects > MAX_REDIRECTS) {
      e.endCall(call, 'completed', 'maxRedirectsError');
      return;
    }
    e.opts.dispatcher.webhook(
      actionUrl,
      { accountId: e.state.accountId, requestType: e.variant('redirectRequestType'), ...e.callFields(call), parentCallId: call.parentCallId },
      e.now,
      (answer) => this.runAnswer(call, answer),
    );
  }

  private terminateOwnConference(call: CallState): void {
    const e = this.engine;
    const conf = call.conferenceId ? e.state.conferences.get(call.conferenceId) : undefined;
    if (!conf) {
      // The requesting call must be in the conference it terminates (§5.2).
      e.trace(`TerminateConference on ${call.callId}: the call is not in a conference`);
      e.endCall(call, 'completed', 'perclProcessingError');
      return;
    }
    if (e.has('terminate-percl-ignored')) return;
    try {
      e.terminate(conf);
    } catch (err) {
      if (!(err instanceof SimulatorError)) throw err;
      e.trace(`TerminateConference on ${call.callId}: ${err.message}`);
    }
  }

  private setPrivilege(call: CallState, command: Extract<Command, { name: 'SetTalk' | 'SetListen' | 'SetDTMFPassThrough' }>): void {
    const conf = call.conferenceId ? this.engine.state.conferences.get(call.conferenceId) : undefined;
    const participant = conf?.participants.get(call.callId);
    if (!participant) return;
    if (command.name === 'SetTalk' && this.engine.has('set-talk-ignored')) return;
    if (command.name === 'SetTalk') participant.talk = command.attrs.talk ?? true;
    if (command.name === 'SetListen') participant.listen = command.attrs.listen ?? true;
    if (command.name === 'SetDTMFPassThrough') participant.dtmfPassThrough = command.attrs.dtmfPassThrough ?? true;
    participant.updated = this.engine.now;
    participant.revision += 1;
  }

  private hear(call: CallState, command: { name: string; attrs: unknown }): void {
    const attrs = (command.attrs ?? {}) as { text?: unknown; file?: unknown };
    const text = command.name === 'Say' ? attrs.text : command.name === 'Play' ? attrs.file : undefined;
    if (typeof text !== 'string') return;
    (call.heard ??= []).push({ kind: command.name === 'Say' ? 'say' : 'play', text, virtualTime: this.engine.now, at: performance.now() });
  }

  /**
   * Prompts play while input is collected; they are heard at the start, in virtual time. (The
   * validator has already checked their shape: each is {Say|Play|Pause: attributes}.)
   */
  private hearPrompts(call: CallState, prompts: unknown[] | undefined): void {
    for (const prompt of prompts ?? []) {
      const [name, value] = Object.entries(prompt as Record<string, unknown>)[0] ?? [];
      if (name) this.hear(call, { name, attrs: value });
    }
  }

  private getDigits(call: CallState, attrs: Attributes<'GetDigits'>, token: number): void {
    this.hearPrompts(call, attrs.prompts);
    if (attrs.flushBuffer) call.dtmfBuffer = '';
    call.getDigits = { attrs, digits: '', token };
    this.armDigitTimer(call, Number(attrs.initialTimeoutMs ?? DEFAULT_INITIAL_TIMEOUT_MS));
    const buffered = call.dtmfBuffer;
    call.dtmfBuffer = '';
    if (buffered) this.feedDigits(call, buffered);
  }

  private armDigitTimer(call: CallState, ms: number): void {
    const pending = call.getDigits;
    if (!pending) return;
    if (pending.timer) this.engine.opts.clock.cancel(pending.timer);
    pending.timer = this.engine.opts.clock.after(ms, () => this.finishDigits(call, 'timeout'));
  }

  private feedDigits(call: CallState, digits: string): void {
    for (const digit of digits) {
      const pending = call.getDigits;
      if (!pending) {
        call.dtmfBuffer += digit;
        continue;
      }
      if (pending.attrs.finishOnKey === digit) {
        this.finishDigits(call, 'finishKey');
        continue;
      }
      pending.digits += digit;
      if (pending.attrs.maxDigits !== undefined && pending.digits.length >= pending.attrs.maxDigits) this.finishDigits(call, 'maxDigits');
      else this.armDigitTimer(call, pending.attrs.digitTimeoutMs ?? DEFAULT_DIGIT_TIMEOUT_MS);
    }
  }

  private finishDigits(call: CallState, reason: 'finishKey' | 'timeout' | 'maxDigits'): void {
    const e = this.engine;
    const pending = call.getDigits;
    if (!pending || call.endTime !== null) return;
    if (pending.timer) e.opts.clock.cancel(pending.timer);
    call.getDigits = undefined;
    e.opts.dispatcher.webhook(
      pending.attrs.actionUrl,
      {
        accountId: e.state.accountId,
        requestType: 'getDigits',
        ...e.callFields(call),
        digits: pending.attrs.privacyMode ? 'xxxxx' : pending.digits,
        reason,
        parentCallId: call.parentCallId,
      },
      e.now,
      (answer) => this.runAnswer(call, answer),
    );
  }

  /** DTMF heard on `call`: call control for participants (§6.20), GetDigits otherwise. */
  receiveDtmf(call: CallState, digits: string): void {
    const e = this.engine;
    const conf = call.conferenceId ? e.state.conferences.get(call.conferenceId) : undefined;
    const participant = conf?.participants.get(call.callId);
    if (!participant) {
      if (e.callRecording.dtmf(call, digits) || e.speech.dtmf(call, digits) || e.transcription.dtmf(call, digits)) return;
      this.feedDigits(call, digits);
      return;
    }
    const { allowCallControl, callControlSequence, callControlUrl } = participant.attrs;
    participant.dtmf += digits;
    const allowed = allowCallControl || e.has('call-control-without-allow');
    if (!allowed || !callControlSequence || !callControlUrl || !participant.dtmf.endsWith(callControlSequence)) return;
    participant.dtmf = '';
    if (e.has('no-call-control')) return;
    e.trace(`call control ${callControlSequence} on ${call.callId}`);
    e.opts.dispatcher.webhook(
      callControlUrl,
      { accountId: e.state.accountId, requestType: e.variant('callControlRequestType'), callId: call.callId, conferenceId: participant.conferenceId, digits: callControlSequence },
      e.now,
      (answer) => {
        if (e.has('call-control-answer-ignored')) return;
        if (e.has('invalid-control-percl-ignored') && !isValidScript(answer)) return;
        this.runAnswer(call, answer);
      },
    );
  }

  private outDial(parent: CallState, attrs: Attributes<'OutDial'>): void {
    const e = this.engine;
    const child = e.newCall({
      parentCallId: parent.callId,
      from: attrs.callingNumber,
      to: attrs.destination,
      direction: 'outboundDial',
      applicationId: parent.applicationId,
      phoneNumberId: null,
      callConnectUrl: attrs.callConnectUrl,
      statusCallbackUrl: attrs.statusCallbackUrl ?? null,
      peer: { kind: 'phone' },
      sendDigits: attrs.sendDigits ?? null,
      dialing: { timeoutSec: attrs.timeout ?? Number(e.variant('outDialTimeoutDefault')), ifMachine: attrs.ifMachine, ifMachineUrl: attrs.ifMachineUrl },
    });
    e.opts.dispatcher.webhook(
      attrs.actionUrl,
      { accountId: e.state.accountId, requestType: 'outDialStart', ...e.callFields(parent), dialCallId: child.callId, parentCallId: parent.parentCallId },
      e.now,
      (answer) => this.runAnswer(parent, answer),
    );
    e.dialChild(child);
  }
}

/** Whether an answer parses as valid PerCL (only the `invalid-control-percl-ignored` fault asks). */
function isValidScript(answer: WebhookAnswer): boolean {
  if (!answer.ok) return false;
  try {
    return validatePercl(JSON.parse(answer.text)).valid;
  } catch {
    return false;
  }
}
