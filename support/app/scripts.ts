// The PerCL the scripted app answers with. Every participant joins with the same wiring, so each
// of its conference webhooks (join, leave, call control) lands on an endpoint named after it.
import type { Inbox } from '../callbacks/receiver';
import type { PerclScript } from '../schemas/percl';

export const CALL_CONTROL_SEQUENCE = '*9';

export interface JoinOptions {
  conferenceId: string;
  /** Sent explicitly unless undefined: the documented default is true (§5.2), which few apps expect. */
  startConfOnEnter: boolean | undefined;
  /** With a leaveConferenceUrl a removed participant continues with its PerCL; without, it is disconnected (§6.17). */
  leaveUrl: boolean;
  /**
   * What the leaveConferenceUrl answers: say goodbye and hang up, or keep the call going through a
   * Redirect to `redirected/<name>`, where it waits (§6.17: the answer continues the call).
   */
  onLeave?: 'hangup' | 'redirect';
  /** Whether the participant may use call control (default true); the sequence and URL are always set. */
  callControl?: boolean;
}

/** How long a redirected call waits on its own; long enough to outlast any scenario. */
export const KEEP_ALIVE_MS = 600_000;

/** The redirect target answers by holding the line, so the call stays observably up. */
export function answerRedirectByWaiting(inbox: Inbox, name: string): string {
  inbox.answer(`redirected/${name}`, () => [{ Pause: { length: KEEP_ALIVE_MS } }]);
  return inbox.url(`redirected/${name}`);
}

export function joinScript(inbox: Inbox, name: string, opts: JoinOptions): PerclScript {
  if (opts.leaveUrl && opts.onLeave === 'redirect') {
    const target = answerRedirectByWaiting(inbox, name);
    inbox.answer(`left/${name}`, () => [{ Say: { text: 'You have left the conference.' } }, { Redirect: { actionUrl: target } }]);
  } else if (opts.leaveUrl) {
    inbox.answer(`left/${name}`, () => [{ Say: { text: 'You have left the conference.' } }, { Hangup: {} }]);
  }
  return [
    {
      AddToConference: {
        conferenceId: opts.conferenceId,
        ...(opts.startConfOnEnter === undefined ? {} : { startConfOnEnter: opts.startConfOnEnter }),
        allowCallControl: opts.callControl ?? true,
        callControlSequence: CALL_CONTROL_SEQUENCE,
        callControlUrl: inbox.url(`control/${name}`),
        notificationUrl: inbox.url(`joined/${name}`),
        ...(opts.leaveUrl ? { leaveConferenceUrl: inbox.url(`left/${name}`) } : {}),
      },
    },
  ];
}
