// The people an app calls (app gating): a number outside the account can be given a behaviour — a
// person who answers, one who does not, a busy line, or an answering machine. What follows each
// outcome is what reference §4.2/§4.3 and the OutDial row of §5.3 document: the connect webhook
// (outDialConnect or outDialApiConnect) with the call's status, PerCL run only if it connected,
// then callStatus when the leg ends. A number nobody named answers at once (engine.ts), as the
// platform suite has always relied on.
import type { EngineApi } from './engine-api';
import type { CallState } from './state';

export type PhoneAnswer = 'human' | 'noAnswer' | 'busy' | 'machine';

export interface PhoneBehaviour {
  answer: PhoneAnswer;
  /** Who is at the number, for the engine's trace only. */
  name?: string;
}

/**
 * One ring of the North American ringback cadence (2 s on, 4 s off). A person who picks up
 * promptly still lets it ring once, so an app sees a call ringing for a moment before it connects,
 * and a dialler timeout shorter than this one ring is reached first.
 */
export const ONE_RING_MS = 6_000;

/** The network reports a busy line once call setup is done, before any ringing: about a second. */
export const BUSY_AFTER_MS = 1_000;

/** POST /Calls `timeout` default (§2.2 table). OutDial's default is not documented: see variants.ts. */
export const MAKE_CALL_TIMEOUT_DEFAULT_SEC = 30;

export class Phones {
  private readonly people = new Map<string, PhoneBehaviour>();

  constructor(private readonly engine: EngineApi) {}

  set(number: string, behaviour: PhoneBehaviour): void {
    this.people.set(number, { ...behaviour });
  }

  get(number: string): PhoneBehaviour | undefined {
    return this.people.get(number);
  }

  /**
   * `call` has started ringing at a number outside the account. Returns false when nobody was
   * named there, leaving the engine's answer-at-once behaviour in place.
   */
  ring(call: CallState): boolean {
    const person = this.people.get(call.to);
    if (!person) return false;
    const e = this.engine;
    const timeoutMs = (call.dialing?.timeoutSec ?? MAKE_CALL_TIMEOUT_DEFAULT_SEC) * 1000;
    e.trace(`call ${call.callId} rings ${person.name ? `"${person.name}" at ` : ''}${call.to} (${person.answer}, timeout ${timeoutMs / 1000}s)`);
    const after = (ms: number, fire: () => void) => {
      call.ringTimer = e.opts.clock.after(ms, () => {
        call.ringTimer = undefined;
        if (call.endTime === null && call.status === 'ringing') fire();
      });
    };
    const noAnswer = () => e.notConnected(call, 'noAnswer', 'noAnswer');
    switch (person.answer) {
      case 'busy':
        after(BUSY_AFTER_MS, () => e.notConnected(call, 'busy', 'busy'));
        return true;
      case 'noAnswer':
        after(timeoutMs, noAnswer);
        return true;
      case 'human':
      case 'machine':
        // The dialler gives up before the first ring is over.
        if (timeoutMs <= ONE_RING_MS) after(timeoutMs, noAnswer);
        else after(ONE_RING_MS, () => (person.answer === 'human' ? this.human(call) : this.machine(call)));
        return true;
    }
  }

  private human(call: CallState): void {
    // answeredBy is set only when answering-machine detection was used (§3.4).
    if (call.dialing?.ifMachine) call.answeredBy = 'human';
    this.engine.connect(call);
  }

  /**
   * A machine picked up. Without ifMachine nothing detects it, so it is connected like a person
   * (§4.2: machineDetected is sent only when ifMachine=redirect). With `hangup` FreeClimb hangs up:
   * the call was answered, so its status is `completed`, and `machineDetected` is the documented
   * CallEndedReason for it (§3.4); its PerCL is never asked for, so no connect webhook is sent.
   * With `redirect`, machineDetected goes to ifMachineUrl and that answer is the call's PerCL; the
   * connect webhook is not sent as well, since the call would otherwise get two scripts at once.
   */
  private machine(call: CallState): void {
    const e = this.engine;
    const { ifMachine, ifMachineUrl } = call.dialing ?? {};
    if (!ifMachine) {
      e.connect(call);
      return;
    }
    call.answeredBy = 'machine';
    if (ifMachine === 'hangup' || !ifMachineUrl) {
      e.markAnswered(call);
      e.endCall(call, 'completed', 'machineDetected');
      return;
    }
    e.markAnswered(call);
    e.machineDetected(call, ifMachineUrl);
  }
}
