'use strict';
// One handler per webhook URL. Each gets the parsed body and the query string and returns
// `{ percl }` (answered 200 with the script) or `{}` (answered 204: notification-only webhooks,
// whose answers FreeClimb ignores). A thrown error becomes a 500 in server.js.
const percl = require('./percl');

const MAX_ATTEMPTS = 3; // prompts before a silent caller is released
const MAX_WAITS = 10; // 1 s pauses while another caller's CreateConference for the room is in flight

function createHandlers({ rooms, api, bug, log, urls }) {
  /** callId → prompts heard so far */
  const attempts = new Map();
  /** callId → pauses spent waiting for a room being created */
  const waits = new Map();
  /** callId → { room } for callers we put into a room */
  const callers = new Map();

  async function enterRoom(room, callId) {
    const conferenceId = rooms.joinableConference(room);
    if (conferenceId) {
      waits.delete(callId);
      callers.set(callId, { room });
      // BUG invalid-percl: the flag comes from a settings object where it was kept as text, so
      // the reuse path sends the string "true"; PerCL wants a boolean.
      const startConfOnEnter = bug('invalid-percl') ? 'true' : true;
      const greeting = `Joining room ${room}. ${await whoIsThere(conferenceId)}`.trim();
      return { percl: percl.joinRoom(conferenceId, urls(room), { startConfOnEnter, greeting }) };
    }
    if (rooms.isCreating(room)) {
      const n = (waits.get(callId) ?? 0) + 1;
      waits.set(callId, n);
      if (n > MAX_WAITS) return { percl: percl.goodbye(`Room ${room} is not available right now. Please call again.`) };
      return { percl: percl.waitForRoom(urls(room)) };
    }
    waits.delete(callId);
    rooms.startCreating(room, callId);
    return { percl: percl.createRoom(room, urls(room)) };
  }

  /** "Two other callers are here." from the REST participant list; nothing if REST is unavailable. */
  async function whoIsThere(conferenceId) {
    try {
      const n = (await api.listParticipants(conferenceId)).length;
      return n === 0 ? 'You are the first one here.' : n === 1 ? 'One other caller is here.' : `${n} other callers are here.`;
    } catch (e) {
      log(`could not list the participants of ${conferenceId}: ${e.message}`);
      return '';
    }
  }

  function applyConferenceReport(body, room) {
    const { requestType, conferenceId } = body;
    switch (requestType) {
      case 'createConference': // the creation callback may use either name (§6.2 [AMBIGUOUS])
      case 'conferenceStatus':
        // BUG choke-on-recording-fields: recordings are assumed to come only on their own webhook.
        if (bug('choke-on-recording-fields') && requestType === 'conferenceStatus' && body.recordingId) {
          throw new Error(`conferenceStatus for ${conferenceId} carries recording fields; expected them on conferenceRecordingStatus`);
        }
        if (body.status) rooms.statusChanged(conferenceId, body.status, room, requestType);
        else log(`${requestType} for ${conferenceId} without status; nothing to update`);
        // Recording fields may ride on the empty conferenceStatus (§6.10 [AMBIGUOUS]).
        if (body.recordingId) rooms.recordingReported(conferenceId, body);
        return;
      case 'conferenceRecordingEnded': // the SDK docs' name for the same report (§6.10 [CONFLICT])
        // BUG only-known-recording-type: falls through to the unknown-type error below.
        if (bug('only-known-recording-type')) break;
      // falls through
      case 'conferenceRecordingStatus':
        if (body.recordingId) rooms.recordingReported(conferenceId, body);
        return;
    }
    if (bug('only-known-recording-type')) throw new Error(`unexpected requestType ${requestType} on the conference status URL`);
    log(`ignoring ${requestType} on the conference status URL`);
  }

  return {
    /** inboundCall on the application's voiceUrl. */
    '/voice'(body) {
      attempts.set(body.callId, 1);
      return { percl: percl.askForRoom(urls(), { retry: false }) };
    },

    /** getDigits: the room number, or nothing (timeout). */
    '/room'(body) {
      const digits = typeof body.digits === 'string' ? body.digits : '';
      // BUG unexpected-key-throws: the room number is parsed as if a caller could only key digits
      // and #; a * (a caller trying "star to go back", say) throws, and the webhook gets a 500.
      if (bug('unexpected-key-throws') && digits.includes('*')) throw new Error(`room number "${digits}" has a key the parser does not know`);
      if (/^\d+$/.test(digits)) {
        attempts.delete(body.callId);
        return enterRoom(digits, body.callId);
      }
      const n = (attempts.get(body.callId) ?? 1) + 1;
      if (n > MAX_ATTEMPTS) {
        attempts.delete(body.callId);
        return { percl: percl.goodbye() };
      }
      attempts.set(body.callId, n);
      return { percl: percl.askForRoom(urls(), { retry: true }) };
    },

    /** redirect after waiting for a room that another caller was opening. */
    '/room/retry'(body, query) {
      const room = query.get('room');
      if (!room) return { percl: percl.goodbye('Sorry, something went wrong. Goodbye.') };
      return enterRoom(room, body.callId);
    },

    /** createConference on CreateConference's actionUrl: the creator joins the new conference. */
    '/conference/created'(body, query) {
      const room = query.get('room');
      if (!room || !body.conferenceId) {
        log(`createConference without ${room ? 'conferenceId' : 'room'}; releasing the caller`);
        return { percl: percl.goodbye('Sorry, the room could not be opened. Goodbye.') };
      }
      rooms.attach(body.conferenceId, room);
      callers.set(body.callId, { room });
      return { percl: percl.joinRoom(body.conferenceId, urls(room)) };
    },

    /** The conference's statusCallbackUrl: creation, status changes and recording reports. */
    '/conference/status'(body, query) {
      if (bug('crash-on-terminated')) {
        // Part of the crash-on-terminated bug: acknowledge at once and process afterwards, with
        // no error handling, so a throw in processing takes the whole process down.
        setImmediate(() => applyConferenceReport(body, query.get('room')));
        return {};
      }
      applyConferenceReport(body, query.get('room'));
      return {};
    },

    /** addToConferenceNotification: notification only. */
    '/conference/joined'() {
      return {};
    },

    /** leaveConference: if the caller was removed (not hung up), this PerCL continues the call. */
    '/conference/left'(body, query) {
      return { percl: percl.goodbye(`You have left room ${query.get('room') ?? ''}. Goodbye.`) };
    },

    /** Call control: "callControl" per the docs, "conferenceCallControl" per the enum (§4.1 [CONFLICT]). */
    async '/conference/control'(body) {
      if (body.digits === '*9' && body.conferenceId) {
        try {
          await api.terminateConference(body.conferenceId);
          log(`closed conference ${body.conferenceId} on *9 from ${body.callId}`);
        } catch (e) {
          log(`could not close conference ${body.conferenceId}: ${e.message}`);
        }
      }
      // Nothing to run on the leg: an empty script leaves the participant where it is.
      return { percl: [] };
    },

    /** callStatus on the application's statusCallbackUrl: a call ended. */
    '/status'(body) {
      attempts.delete(body.callId);
      waits.delete(body.callId);
      rooms.callEnded(body.callId);
      // BUG status-assumes-joined: every ending call is assumed to have been in a room, but a
      // caller can hang up while the room number is still being collected.
      const joined = bug('status-assumes-joined') ? { room: callers.get(body.callId).room } : callers.get(body.callId);
      if (joined) log(`call ${body.callId} left room ${joined.room} (${body.callEndedReason ?? body.callStatus})`);
      callers.delete(body.callId);
      return {};
    },

    /** outDialApiConnect on callConnectUrl. The line places no calls; an empty script ends one. */
    '/connect'() {
      return { percl: [] };
    },
  };
}

module.exports = { createHandlers };
