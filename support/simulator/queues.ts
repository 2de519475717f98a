// Call queues: Enqueue holds a call and loops its waitUrl's PerCL until Dequeue (PerCL or REST)
// or a hang-up takes it out; the Enqueue actionUrl then learns why (queueResult). Sources: SPEC
// Enqueue/Dequeue and the queue webhooks, DOC:dequeue, DOC:dequeue-1,
// DOC:removefromqueuenotification, the using-queues guide. Kept apart from engine.ts, which owns
// conferences and calls; the engine calls in here when a queued call ends.
import { QUEUE_MAX_SIZE_DEFAULT, type QueueRequest } from '../schemas/rest-queues';
import type { Attributes } from '../schemas/percl';
import type { EngineApi } from './engine-api';
import { newId } from './ids';
import { stamp, touch, type CallState, type QueueMemberState, type QueueState } from './state';

/**
 * The simulator does not time Say or Play, so a wait script of audio alone would be requested
 * again at the same virtual instant, forever. Each wait cycle lasts at least this long: about one
 * short prompt. [AMBIGUOUS] how soon FreeClimb requests waitUrl again is not documented beyond
 * "once the script runs out of commands".
 */
export const WAIT_CYCLE_MIN_MS = 1000;

type Fields = Record<string, unknown>;

export class Queues {
  constructor(private readonly engine: EngineApi) {}

  create(req: QueueRequest, queueId = newId('QU')): QueueState {
    const queue: QueueState = {
      ...stamp(this.engine.now),
      queueId,
      alias: req.alias ?? null,
      maxSize: req.maxSize ?? QUEUE_MAX_SIZE_DEFAULT,
      members: [],
      removalSecs: [],
    };
    this.engine.state.queues.set(queueId, queue);
    this.engine.trace(`queue ${queueId} created`);
    return queue;
  }

  update(queue: QueueState, req: QueueRequest): void {
    if (req.alias !== undefined) queue.alias = req.alias;
    if (req.maxSize !== undefined) queue.maxSize = req.maxSize;
    touch(queue, this.engine.now);
  }

  /** 1 for the front. */
  position(queue: QueueState, callId: string): number {
    return queue.members.findIndex((m) => m.callId === callId) + 1;
  }

  member(queue: QueueState, callId: string): QueueMemberState | undefined {
    return queue.members.find((m) => m.callId === callId);
  }

  /** The Enqueue command on `call`. */
  enqueue(call: CallState, attrs: Attributes<'Enqueue'>): void {
    const e = this.engine;
    // SPEC Enqueue.queueId: a queue that does not exist is created, with that ID.
    const queue = e.state.queues.get(attrs.queueId) ?? this.create({}, attrs.queueId);
    if (queue.members.length >= queue.maxSize) {
      e.trace(`Enqueue of ${call.callId}: queue ${queue.queueId} is full (${queue.maxSize})`);
      this.report(call, attrs, queue.queueId, 'removeFromQueueNotification', { queueResult: 'queueFull', queueTime: null }, true);
      return;
    }
    const member: QueueMemberState = { callId: call.callId, enqueued: e.now, attrs };
    queue.members.push(member);
    touch(queue, e.now);
    call.queueId = queue.queueId;
    touch(call, e.now);
    e.trace(`call ${call.callId} enqueued in ${queue.queueId} at position ${queue.members.length}`);
    // Notification only (SPEC Enqueue.notificationUrl). [AMBIGUOUS] its order against the first
    // queueWait is not documented; it describes the entry, so it goes first.
    if (attrs.notificationUrl && !e.has('no-queue-notification')) {
      e.opts.dispatcher.webhook(attrs.notificationUrl, { accountId: e.state.accountId, requestType: 'addToQueueNotification', ...e.callFields(call) }, e.now);
    }
    this.requestWait(call, queue, member);
  }

  private requestWait(call: CallState, queue: QueueState, member: QueueMemberState): void {
    const e = this.engine;
    member.waitTimer = undefined;
    member.waitRequested = e.now;
    e.opts.dispatcher.webhook(
      member.attrs.waitUrl,
      {
        accountId: e.state.accountId,
        requestType: 'queueWait',
        ...e.callFields(call),
        // A string in SPEC QueueWaitWebhook; 1 at the front (the fault counts from 0).
        queuePosition: String(this.position(queue, call.callId) - (e.has('queue-position-zero-based') ? 1 : 0)),
        queueTime: this.secondsIn(member),
        currentQueueSize: queue.members.length,
      },
      e.now,
      (answer) => {
        // The answer may arrive after the call left the queue; then it is stale.
        if (call.queueId !== queue.queueId || this.member(queue, call.callId) !== member) return;
        e.runner.runAnswer(call, answer);
      },
    );
  }

  /**
   * The wait script ran out of commands while the call is still queued: FreeClimb requests waitUrl
   * again (SPEC Park.waitUrl wording, the same loop as Enqueue's), at least WAIT_CYCLE_MIN_MS after
   * the last request.
   */
  waitScriptEnded(call: CallState): void {
    const e = this.engine;
    const queue = call.queueId ? e.state.queues.get(call.queueId) : undefined;
    const member = queue && this.member(queue, call.callId);
    if (!queue || !member || member.waitTimer !== undefined || e.has('wait-not-looped')) return;
    const elapsed = e.now - (member.waitRequested ?? e.now);
    member.waitTimer = e.opts.clock.after(Math.max(0, WAIT_CYCLE_MIN_MS - elapsed), () => {
      if (call.endTime === null && this.member(queue, call.callId) === member) this.requestWait(call, queue, member);
    });
  }

  /**
   * Takes `call` out of its queue because of a Dequeue (PerCL from the wait script, or REST): the
   * Enqueue actionUrl gets `dequeue` with queueResult dequeued, and its PerCL continues the call.
   */
  dequeue(call: CallState, how: 'percl' | 'rest'): boolean {
    if (this.engine.has(how === 'rest' ? 'rest-dequeue-ignored' : 'percl-dequeue-ignored')) {
      this.engine.trace(`Dequeue of ${call.callId} (${how}) ignored (fault)`);
      return true;
    }
    const taken = this.take(call);
    if (!taken) return false;
    this.engine.trace(`call ${call.callId} dequeued from ${taken.queue.queueId} (${how})`);
    // Whatever the wait script was doing stops: a Pause or GetDigits of the wait loop is cancelled.
    this.engine.stopScript(call);
    this.report(call, taken.member.attrs, taken.queue.queueId, 'dequeue', { queueResult: 'dequeued', queueTime: taken.secs }, !this.engine.has('dequeue-answer-ignored'));
    return true;
  }

  /** The queued caller hung up: actionUrl is told (removeFromQueueNotification, hangup); its PerCL cannot run. */
  hungUp(call: CallState): void {
    const taken = this.take(call);
    if (!taken) return;
    this.engine.trace(`call ${call.callId} hung up while queued in ${taken.queue.queueId}`);
    if (this.engine.has('queue-hangup-unreported')) return;
    this.report(call, taken.member.attrs, taken.queue.queueId, 'removeFromQueueNotification', { queueResult: 'hangup', queueTime: taken.secs }, false);
  }

  private take(call: CallState): { queue: QueueState; member: QueueMemberState; secs: number } | undefined {
    const e = this.engine;
    const queue = call.queueId ? e.state.queues.get(call.queueId) : undefined;
    const member = queue && this.member(queue, call.callId);
    call.queueId = null;
    if (!queue || !member) return undefined;
    if (member.waitTimer !== undefined) e.opts.clock.cancel(member.waitTimer);
    if (!e.has('departed-still-listed')) queue.members = queue.members.filter((m) => m !== member);
    const secs = this.secondsIn(member);
    queue.removalSecs.push(secs);
    touch(queue, e.now);
    touch(call, e.now);
    return { queue, member, secs };
  }

  private secondsIn(member: QueueMemberState): number {
    return Math.floor((this.engine.now - member.enqueued) / 1000);
  }

  private report(call: CallState, attrs: Attributes<'Enqueue'>, queueId: string, requestType: string, extra: Fields, runAnswer: boolean): void {
    const e = this.engine;
    e.opts.dispatcher.webhook(
      attrs.actionUrl,
      { accountId: e.state.accountId, requestType, ...e.callFields(call), queueId, ...extra },
      e.now,
      runAnswer ? (answer) => e.runner.runAnswer(call, answer) : undefined,
    );
  }
}
