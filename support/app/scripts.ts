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
}

export function joinScript(inbox: Inbox, name: string, opts: JoinOptions): PerclScript {
  if (opts.leaveUrl) inbox.answer(`left/${name}`, () => [{ Say: { text: 'You have left the conference.' } }, { Hangup: {} }]);
  return [
    {
      AddToConference: {
        conferenceId: opts.conferenceId,
        ...(opts.startConfOnEnter === undefined ? {} : { startConfOnEnter: opts.startConfOnEnter }),
        allowCallControl: true,
        callControlSequence: CALL_CONTROL_SEQUENCE,
        callControlUrl: inbox.url(`control/${name}`),
        notificationUrl: inbox.url(`joined/${name}`),
        ...(opts.leaveUrl ? { leaveConferenceUrl: inbox.url(`left/${name}`) } : {}),
      },
    },
  ];
}
