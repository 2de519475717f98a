'use strict';
// PerCL scripts the line answers with. A script is a JSON array of `{Command: attributes}`
// (reference §5.1); terminal commands (GetDigits, CreateConference, AddToConference, Redirect)
// come last because nothing after them runs.

const PROMPT = 'Welcome to the conference line. Please enter your room number, then press pound.';
const RETRY_PROMPT = 'Sorry, I did not get a room number. Please enter your room number, then press pound.';
const GOODBYE = 'No room number was entered. Goodbye.';

// GetDigits timeouts: long enough for a person to find the number, short enough that a silent
// line is released within half a minute (three attempts).
const INITIAL_TIMEOUT_MS = 8000;
const DIGIT_TIMEOUT_MS = 5000;
const MAX_ROOM_DIGITS = 8;

function askForRoom(urls, { retry }) {
  return [
    {
      GetDigits: {
        actionUrl: urls.room,
        finishOnKey: '#',
        minDigits: 1,
        maxDigits: MAX_ROOM_DIGITS,
        initialTimeoutMs: INITIAL_TIMEOUT_MS,
        digitTimeoutMs: DIGIT_TIMEOUT_MS,
        flushBuffer: true,
        prompts: [{ Say: { text: retry ? RETRY_PROMPT : PROMPT } }],
      },
    },
  ];
}

function goodbye(text = GOODBYE) {
  return [{ Say: { text } }, { Hangup: {} }];
}

function createRoom(room, urls) {
  return [
    { Say: { text: `Opening room ${room}.` } },
    {
      CreateConference: {
        actionUrl: urls.created,
        statusCallbackUrl: urls.conferenceStatus,
        alias: `room-${room}`,
        playBeep: 'entryOnly',
        record: true,
      },
    },
  ];
}

/** @param {boolean | string} startConfOnEnter  a string here is the invalid-percl seeded bug */
function joinRoom(conferenceId, urls, { startConfOnEnter = true, greeting } = {}) {
  const script = greeting ? [{ Say: { text: greeting } }] : [];
  script.push({
    AddToConference: {
      conferenceId,
      startConfOnEnter,
      leaveConferenceUrl: urls.left,
      notificationUrl: urls.joined,
      // "*9" closes the room for everyone (see the call-control handler).
      allowCallControl: true,
      callControlSequence: '*9',
      callControlUrl: urls.control,
    },
  });
  return script;
}

/** While another caller's CreateConference for the same room is in flight: wait, then decide again. */
function waitForRoom(urls) {
  return [{ Pause: { length: 1000 } }, { Redirect: { actionUrl: urls.retry } }];
}

module.exports = { askForRoom, goodbye, createRoom, joinRoom, waitForRoom, PROMPT, RETRY_PROMPT, GOODBYE };
