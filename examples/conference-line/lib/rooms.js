'use strict';
// Which conference serves which room, learnt only from FreeClimb's callbacks.
//
// A room's conference is reused while it exists and is not terminated: an empty conference can be
// filled again (reference §6.11), a terminated one never (§6.12). Everything the docs leave open is
// accepted: the creation callback may be `createConference` or `conferenceStatus`, a first
// start-moderator may report `populated` then `inProgress` or only `inProgress`, terminating may
// report `empty` then `terminated`, and callbacks may name a conference we have not heard of yet
// (the status callback can arrive before the actionUrl).

class Rooms {
  /** @param {(name: string) => boolean} bug  seeded-bug switch, see lib/bugs.js */
  constructor(bug, log) {
    this.bug = bug;
    this.log = log;
    /** room number → { conferenceId: string|null, creatingCallId: string|null } */
    this.rooms = new Map();
    /** conferenceId → { conferenceId, room, status, sawPopulated, announced, session, recordings[] } */
    this.conferences = new Map();
  }

  room(number) {
    let r = this.rooms.get(number);
    if (!r) {
      r = { conferenceId: null, creatingCallId: null };
      this.rooms.set(number, r);
    }
    return r;
  }

  /** The conference a caller for `number` should join, or null when a new one is needed. */
  joinableConference(number) {
    const r = this.room(number);
    const c = r.conferenceId ? this.conferences.get(r.conferenceId) : undefined;
    if (!c || c.status === 'terminated') return null;
    // BUG populated-before-inprogress: treats `populated` as "the room is live". A first joiner
    // with startConfOnEnter may report only `inProgress` (§6.7), and then every caller opens a
    // conference of their own.
    if (this.bug('populated-before-inprogress') && !c.sawPopulated) return null;
    // BUG creation-callback-type: waits for the creation callback before letting others in (the
    // docs say participants may be added once it arrived, §6.2) but recognises it only by the
    // requestType createConference; it may equally be conferenceStatus, and then no one else ever
    // joins this conference.
    if (this.bug('creation-callback-type') && !c.announced) return null;
    return c.conferenceId;
  }

  isCreating(number) {
    return this.room(number).creatingCallId !== null;
  }

  startCreating(number, callId) {
    this.room(number).creatingCallId = callId;
  }

  /** A creator's call ended; if its conference never came, let the next caller create one. */
  callEnded(callId) {
    for (const r of this.rooms.values()) if (r.creatingCallId === callId) r.creatingCallId = null;
  }

  /** Learn that `conferenceId` serves `number` (from the actionUrl or the first status callback). */
  attach(conferenceId, number) {
    let c = this.conferences.get(conferenceId);
    if (!c) {
      c = { conferenceId, room: number, status: undefined, sawPopulated: false, announced: false, session: null, recordings: [] };
      this.conferences.set(conferenceId, c);
    }
    const r = this.room(number);
    // A late callback about an older conference must not displace the room's live one.
    const current = r.conferenceId ? this.conferences.get(r.conferenceId) : undefined;
    if (!current || current.status === 'terminated' || r.creatingCallId !== null) {
      r.conferenceId = conferenceId;
      r.creatingCallId = null;
    }
    return c;
  }

  /** A `status` reported for a conference, by the creation callback or conferenceStatus. */
  statusChanged(conferenceId, status, roomHint, requestType) {
    // BUG reuse-terminated: only the statuses the app routes on are tracked, so `terminated`
    // leaves the room pointing at a conference that can never be joined again.
    if (this.bug('reuse-terminated') && status === 'terminated') return;

    const c = this.conferences.get(conferenceId) ?? (roomHint ? this.attach(conferenceId, roomHint) : undefined);
    if (!c) {
      this.log(`status ${status} for unknown conference ${conferenceId}; ignored`);
      return;
    }
    if (c.status === 'terminated') return; // final (§6.12); later reports change nothing
    c.status = status;
    if (status === 'populated') c.sawPopulated = true;
    if (requestType === 'createConference') c.announced = true;
    // A session is one stretch with people in the room; an empty conference may start another.
    if ((status === 'populated' || status === 'inProgress') && !c.session) c.session = { since: Date.now() };
    if (status === 'empty' && c.session) {
      this.log(`room ${c.room}: session ended after ${Date.now() - c.session.since} ms`);
      c.session = null;
    }
    if (status === 'terminated') {
      if (this.bug('crash-on-terminated')) {
        // BUG crash-on-terminated: assumes `terminated` ends a running session. After the `empty`
        // that precedes it (§6.14) there is none, and this throws.
        this.log(`room ${c.room}: closed during a session of ${Date.now() - c.session.since} ms`);
      }
      const r = this.room(c.room);
      if (r.conferenceId === conferenceId) r.conferenceId = null;
      this.log(`room ${c.room}: conference ${conferenceId} terminated; the next caller opens a new one`);
    }
  }

  /** A recording report; it may come on conferenceStatus, on its own webhook, or both (§6.10). */
  recordingReported(conferenceId, recording) {
    const c = this.conferences.get(conferenceId);
    if (!c) {
      this.log(`recording ${recording.recordingId} of unknown conference ${conferenceId}`);
      return;
    }
    if (c.recordings.some((r) => r.recordingId === recording.recordingId)) return; // reported twice
    c.recordings.push(recording);
    this.log(`room ${c.room}: recording ${recording.recordingId} (${recording.recordingDurationSec ?? '?'}s)`);
  }
}

module.exports = { Rooms };
