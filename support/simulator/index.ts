// The FreeClimb simulator: one core (engine + REST handler + webhook dispatcher) that the nock
// adapter serves in process and the HTTP server adapter serves on a port. This is the programmatic
// API documented in the README.
import { signatureHeader } from '../signature';
import { VirtualClock } from './clock';
import { Dispatcher, type Delivery, type WebhookPoster } from './dispatcher';
import { Engine, SimulatorError } from './engine';
import { parseFault, type FaultName } from './faults';
import { newId } from './ids';
import { callFromPhone } from './inbound';
import { PerclRunner } from './percl-runner';
import type { PhoneBehaviour } from './phones';
import { RestApi, type RestRequest, type RestResponse } from './rest';
import { stamp, type CallState, type ConferenceState } from './state';
import { DEFAULT_VARIANTS, parseVariants, type Variants } from './variants';

export { FAULTS, FAULT_NAMES, faultCatches, type FaultName } from './faults';
export { VARIANT_AXES, DEFAULT_VARIANTS, allVariantSettings, parseVariants, describeVariants, type Variants } from './variants';
export type { Delivery } from './dispatcher';
export { ONE_RING_MS, BUSY_AFTER_MS, MAKE_CALL_TIMEOUT_DEFAULT_SEC, type PhoneAnswer, type PhoneBehaviour } from './phones';
export type { RestRequest, RestResponse } from './rest';

export const DEFAULT_API_BASE_URL = 'https://www.freeclimb.com/apiserver';

export interface SimulatorOptions {
  /** Defaults to a random AC… id. */
  accountId?: string;
  /** The API key the simulator accepts. Defaults to a random one. */
  apiKey?: string;
  /** The secret webhooks are signed with. Defaults to a random sigsec_… value. */
  signingSecret?: string;
  /** Where the API lives; the nock adapter intercepts this origin. */
  apiBaseUrl?: string;
  /** A variant object, or `axis=option,…` (see VARIANT_AXES). */
  variants?: Partial<Variants> | string;
  fault?: FaultName | string;
  /** Phone numbers the account owns (E.164). Calls to them arrive as inbound calls. */
  numbers?: string[];
  /** How long a webhook may take to answer before the simulator treats it as failed. */
  webhookTimeoutMs?: number;
  /** How webhooks travel (default: real HTTP); see DispatcherOptions.post. */
  post?: WebhookPoster;
}

export class Simulator {
  readonly accountId: string;
  readonly apiBaseUrl: string;
  readonly variants: Variants;
  readonly fault: FaultName | undefined;
  readonly clock: VirtualClock;
  readonly engine: Engine;
  private readonly dispatcher: Dispatcher;
  private readonly rest: RestApi;
  // Kept in closures rather than properties so that logging or serializing a simulator never prints them.
  readonly credentials: () => { accountId: string; apiKey: string; signingSecret: string };
  private readonly internalErrors: Error[] = [];

  constructor(opts: SimulatorOptions = {}) {
    this.accountId = opts.accountId ?? newId('AC');
    const apiKey = opts.apiKey ?? newId('AC').slice(2);
    const signingSecret = opts.signingSecret ?? `sigsec_${newId('AC').slice(2)}`;
    this.credentials = () => ({ accountId: this.accountId, apiKey, signingSecret });
    this.apiBaseUrl = (opts.apiBaseUrl ?? DEFAULT_API_BASE_URL).replace(/\/+$/, '');
    this.variants = typeof opts.variants === 'string' || opts.variants === undefined ? parseVariants(opts.variants) : { ...DEFAULT_VARIANTS, ...opts.variants };
    this.fault = parseFault(opts.fault);
    this.clock = new VirtualClock(Date.now());
    this.dispatcher = new Dispatcher({
      sign: (raw) => this.sign(raw, signingSecret),
      timeoutMs: opts.webhookTimeoutMs ?? 10_000,
      post: opts.post,
      onError: (e) => {
        this.internalErrors.push(e);
        this.engine.trace(`internal error: ${e.stack ?? e.message}`);
      },
    });
    this.engine = new Engine({
      accountId: this.accountId,
      variants: this.variants,
      fault: this.fault,
      clock: this.clock,
      dispatcher: this.dispatcher,
      apiBaseUrl: this.apiBaseUrl,
    });
    this.engine.runner = new PerclRunner(this.engine);
    this.rest = new RestApi(this.engine, { accountId: this.accountId, apiKey }, new URL(this.apiBaseUrl).pathname.replace(/\/+$/, ''));
    for (const phoneNumber of opts.numbers ?? []) this.addNumber(phoneNumber);
  }

  /** Serve one REST request (what both adapters call). */
  handle(req: RestRequest): RestResponse {
    return this.rest.handle(req);
  }

  /** Resolves when every queued webhook has been delivered and answered, and nothing new is queued. */
  async settle(): Promise<void> {
    await this.dispatcher.idle();
  }

  /** Nothing queued or in flight right now (settle() may have resolved a moment before new work came in). */
  idleNow(): boolean {
    return this.dispatcher.idleNow();
  }

  /** A webhook is waiting for its answer right now. */
  delivering(): boolean {
    return this.dispatcher.delivering();
  }

  /** Real time (performance.now()) the last webhook answer arrived, 0 before the first. */
  lastAnswerAt(): number {
    return this.dispatcher.lastAnswerAt;
  }

  /** Advance virtual time, firing Pause, GetDigits and other timers in order. */
  async advance(ms: number): Promise<void> {
    await this.clock.advance(ms, () => this.settle());
  }

  /**
   * Put a person at `number`, a number outside the account, who picks up as `behaviour.answer`
   * says when the account calls it (OutDial or POST /Calls). Setting it again replaces the last
   * behaviour; calls already ringing keep theirs. A number nobody was put at answers at once.
   */
  setPhone(number: string, behaviour: PhoneBehaviour): void {
    if ([...this.engine.state.numbers.values()].some((n) => n.phoneNumber === number)) {
      throw new SimulatorError(409, `${number} is a number of this account; calls to it reach its application, not a person`);
    }
    this.engine.phones.set(number, behaviour);
  }

  /** The behaviour set for `number`, if any. */
  phone(number: string): PhoneBehaviour | undefined {
    return this.engine.phones.get(number);
  }

  /** Calls the account placed to `number` (OutDial children and POST /Calls), oldest first. */
  callsTo(number: string): CallState[] {
    return [...this.engine.state.calls.values()].filter((c) => c.to === number && c.direction !== 'inbound');
  }

  /**
   * A simulated person on the far end of `callId` presses keys (DTMF reaches the call): the caller
   * of an inbound call, or the person an outbound call reached.
   */
  press(callId: string, digits: string): void {
    const call = this.requireCall(callId);
    this.dispatcher.task(() => this.engine.runner.receiveDtmf(call, digits));
  }

  /**
   * The simulated far end of `callId` speaks `text` for `ms` of virtual time: a GetSpeech hears the
   * words, a RecordUtterance records the sound. Staying silent is not calling this.
   */
  speak(callId: string, text: string, ms: number): void {
    const call = this.requireCall(callId);
    this.dispatcher.task(() => this.engine.callerSpeaks(call, text, ms));
  }

  /** A person on the outside number `from` calls the account's number `to` (app gating). */
  callIn(from: string, to: string): CallState {
    return callFromPhone(this.engine, { from, to });
  }

  /** The simulated far end of `callId` hangs up (either direction: a caller, or the person the account called). */
  hangUpFarEnd(callId: string): void {
    const call = this.requireCall(callId);
    this.dispatcher.task(() => this.engine.endCall(call, 'completed', 'farEndHangup'));
  }

  addNumber(phoneNumber: string, applicationId: string | null = null): string {
    const phoneNumberId = newId('PN');
    this.engine.state.numbers.set(phoneNumberId, { ...stamp(this.clock.now()), phoneNumberId, phoneNumber, alias: null, applicationId });
    return phoneNumberId;
  }

  /** Seed an application, as if the account already had it. Returns its applicationId. */
  addApplication(app: { alias?: string; voiceUrl?: string; callConnectUrl?: string; statusCallbackUrl?: string }): string {
    const applicationId = newId('AP');
    this.engine.state.applications.set(applicationId, {
      ...stamp(this.clock.now()),
      applicationId,
      alias: app.alias ?? null,
      voiceUrl: app.voiceUrl ?? null,
      voiceFallbackUrl: null,
      callConnectUrl: app.callConnectUrl ?? null,
      statusCallbackUrl: app.statusCallbackUrl ?? null,
      smsUrl: null,
      smsFallbackUrl: null,
    });
    return applicationId;
  }

  conference(id: string): ConferenceState | undefined {
    return this.engine.state.conferences.get(id);
  }
  call(id: string): CallState | undefined {
    return this.engine.state.calls.get(id);
  }
  get conferences(): ConferenceState[] {
    return [...this.engine.state.conferences.values()];
  }
  /** Every webhook sent, with the HTTP status and answer it got. */
  get deliveries(): readonly Delivery[] {
    return this.dispatcher.deliveries;
  }
  /** What the engine did, one line per event, in virtual time. */
  get events(): readonly string[] {
    return this.engine.events;
  }
  get errors(): readonly Error[] {
    return this.internalErrors;
  }

  close(): void {
    this.dispatcher.close();
  }

  private requireCall(callId: string): CallState {
    const call = this.engine.state.calls.get(callId);
    if (!call) throw new SimulatorError(404, `call ${callId} not found`);
    return call;
  }

  private sign(raw: string, secret: string): string | undefined {
    if (this.fault === 'unsigned-webhooks') return undefined;
    // Signatures use wall-clock time: the receiver checks them against its own clock.
    const t = Math.floor(Date.now() / 1000) - (this.fault === 'stale-signature' ? 600 : 0);
    const key = this.fault === 'bad-signature' ? `${secret}-wrong` : secret;
    return signatureHeader(raw, key, t);
  }
}

export function createSimulator(opts: SimulatorOptions = {}): Simulator {
  return new Simulator(opts);
}
