'use strict';
// The agent line's HTTP surface: FreeClimb's webhooks (signed) and the click-to-call form.
//
// Support line (a caller dials FREECLIMB_NUMBER):
//   /voice               inboundCall           Say, CreateConference
//   /conference/created  createConference      OutDial to the agent (from the caller's call)
//   /agent/dialing       outDialStart          AddToConference: the caller waits in the conference
//   /agent/connected     outDialConnect        inProgress: AddToConference for the agent;
//                                              anything else: the conference is ended through the SDK
//   /agent/machine       machineDetected       a machine answered: end the conference, hang up on it
//   /agent/status        callStatus (agent)    the agent hung up after joining: end the conference
//   /conference/joined   addToConferenceNotification   remembers that the agent really joined
//   /conference/left     leaveConference       one side left: end the conference
//   /conference/status   conference status     forgets a conference once it is terminated
//   /status              callStatus (caller)   the caller hung up: end the conference
// Hold queue (a caller who calls while the agent talks to someone else):
//   /voice               inboundCall           Say, Enqueue into the hold queue (created through the SDK)
//   /queue/wait          queueWait             hold music (Play, Say, Pause), requested again while waiting
//   /queue/left          dequeue               the agent is free (the app dequeued the front through the
//                                              SDK when the last conference ended): Say, CreateConference
//                        removeFromQueueNotification   the caller hung up while waiting: nothing to do
// Voicemail (the agent does not answer):
//   /agent/connected     outDialConnect noAnswer   the caller is removed from the conference through the SDK
//   /conference/left     leaveConference       the caller: Say, RecordUtterance (finish with #); the conference ends
//   /voicemail/saved     record                Say, Hangup
// Click-to-call:
//   POST /startCall      form caller=…&agent=…  POST /Calls to the caller through the SDK
//   /click/connected     outDialApiConnect     inProgress: the caller gets a conference, and the
//   /connect             (the application's)   form's agent is dialled into it as above
const express = require('express');
const { E164 } = require('./config');
const { Store } = require('./store');

const AGENT_DIAL_TIMEOUT_SECONDS = 30;
const VOICEMAIL_MAX_SECONDS = 120;
const VOICEMAIL_SILENCE_MS = 5000;
const HOLD_PAUSE_MS = 5000;
// One second of 8 kHz 8-bit mono silence: the hold music this example serves (a real line plays a tune).
const HOLD_MUSIC = silentWav(8000);

function silentWav(samples) {
  const wav = Buffer.alloc(44 + samples, 0x80);
  wav.write('RIFF', 0, 'ascii');
  wav.writeUInt32LE(36 + samples, 4);
  wav.write('WAVEfmt ', 8, 'ascii');
  wav.writeUInt32LE(16, 16);
  wav.writeUInt16LE(1, 20); // PCM
  wav.writeUInt16LE(1, 22); // mono
  wav.writeUInt32LE(8000, 24);
  wav.writeUInt32LE(8000, 28);
  wav.writeUInt16LE(1, 32);
  wav.writeUInt16LE(8, 34);
  wav.write('data', 36, 'ascii');
  wav.writeUInt32LE(samples, 40);
  return wav;
}

function createApp({ config, bug, sdk, log }) {
  const { percl } = sdk;
  const store = new Store();
  const url = (path, query) => `${config.host}${path}${query ? `?${new URLSearchParams(query)}` : ''}`;
  const app = express();
  app.disable('x-powered-by');

  // Keep the exact bytes: the signature covers them, not a re-serialised object.
  app.use(express.json({ limit: '64kb', verify: (req, _res, buf) => { req.rawBody = buf; } }));

  // The hold music the wait script plays (FreeClimb fetches it unsigned, like any audio file).
  app.get('/audio/hold.wav', (_req, res) => res.type('audio/wav').send(HOLD_MUSIC));

  // ------------------------------------------------------------------ click-to-call form

  app.get('/', (_req, res) => {
    res.type('html').send(`<!doctype html><title>Click to call</title>
<form method="post" action="/startCall">
  <label>Your number <input name="caller" placeholder="+15551234567" required></label>
  <label>Agent <input name="agent" placeholder="+15557654321" required></label>
  <button>Call me</button>
</form>\n`);
  });

  app.post('/startCall', express.urlencoded({ extended: false, limit: '4kb' }), async (req, res) => {
    const caller = String(req.body?.caller ?? '').trim();
    const agent = String(req.body?.agent ?? '').trim();
    if (!E164.test(caller) || !E164.test(agent)) {
      res.status(400).json({ error: 'caller and agent must be E.164 numbers, such as +15551234567' });
      return;
    }
    const ticket = store.newTicket(caller, agent);
    try {
      const call = await sdk.api.calls.create(caller, config.freeclimbNumber, config.applicationId, {
        callConnectUrl: url('/click/connected', { ticket }),
      });
      const pending = store.tickets.get(ticket);
      if (pending) pending.callId = call.callId;
      log(`click-to-call: calling ${caller} (call ${call.callId}), then agent ${agent}`);
      res.status(202).json({ callId: call.callId, caller, agent });
    } catch (err) {
      store.tickets.delete(ticket);
      log(`click-to-call: could not call ${caller}: ${err.message}`);
      res.status(502).json({ error: 'FreeClimb did not accept the call' });
    }
  });

  // ------------------------------------------------------------------ webhooks

  const webhooks = express.Router();

  webhooks.use((req, res, next) => {
    const body = req.body ?? {};
    log(`${req.path} ${body.requestType ?? '?'} call=${body.callId ?? '-'} status=${body.callStatus ?? body.status ?? '-'}`);
    if (bug('no-signature-check')) return next();
    try {
      // The SDK's own verifier: HMAC-SHA256 of "<t>.<raw body>", at most 5 minutes old.
      sdk.utils.verifyRequest(req.rawBody ?? '', req.get('freeclimb-signature'), config.signingSecret);
    } catch (err) {
      log(`refused ${req.path}: ${String(err.message).split(' - ')[0].slice(0, 80)}`);
      res.status(401).type('text/plain').send('FreeClimb-Signature missing, invalid or stale\n');
      return;
    }
    next();
  });

  /** Ends the conference through the SDK, once; awaited so that a failure is seen and logged. */
  async function endConference(conference, why, webhook) {
    if (conference.state !== 'open') return;
    conference.state = 'ending';
    log(`ending conference ${conference.id}: ${why}`);
    if (bug('ignores-sdk-failure')) {
      // The conference id taken from the webhook at hand, which is null on an outDialConnect (the
      // agent's leg is in no conference yet), and the SDK's rejection swallowed.
      await sdk.api.conferences.update(webhook.conferenceId, { status: 'terminated' }).catch(() => {});
      return;
    }
    try {
      await sdk.api.conferences.update(conference.id, { status: 'terminated' });
    } catch (err) {
      conference.state = 'open'; // the next webhook about it tries again
      log(`could not end conference ${conference.id}: ${err.message}`);
    }
  }

  /**
   * Answers the webhook with `send` and makes the REST requests of `rest` (end a conference), in
   * the order REST_TIMING says. Teams write all three; FreeClimb sees the same calls either way.
   */
  async function answerAndRest(send, rest) {
    if (config.restTiming === 'awaited') {
      await rest();
      send();
    } else if (config.restTiming === 'after-answer') {
      send();
      await rest();
    } else {
      send();
      setTimeout(() => void rest(), config.restDeferMs);
    }
  }

  const createConferenceFor = (callId) =>
    percl.createConference(url('/conference/created', { call: callId }), {
      statusCallbackUrl: url('/conference/status'),
    });

  const sorry = (text) => percl.build(percl.say(text), percl.hangup());

  /** returning-caller-rejoins: caller number → the conference they were last in. */
  const lastConferenceOf = new Map();

  /** The hold queue's id, created through the SDK the first time a caller has to wait. */
  let holdQueueId;
  async function holdQueue() {
    holdQueueId ??= (await sdk.api.queues.create({ alias: 'agent-line-hold' })).queueId;
    return holdQueueId;
  }

  /** The agent is free again: the caller who waited longest leaves the hold queue (its actionUrl continues it). */
  async function dequeueNext() {
    if (!holdQueueId || store.waiting.size === 0 || store.agentBusy(config.agentNumber)) return;
    // BUG queue-never-dequeued: the queue is forgotten once the agent is free; its callers hold for ever.
    if (bug('queue-never-dequeued')) return;
    try {
      await sdk.api.queues.members(holdQueueId).dequeueFront();
    } catch (err) {
      log(`could not dequeue the next caller: ${err.message}`);
    }
  }

  webhooks.post('/voice', async (req, res) => {
    const { callId } = req.body;
    // BUG returning-caller-rejoins: a caller who calls again is put back into the conference they
    // were in, "to pick up where they left off", without asking whether it still exists; it was
    // terminated when they hung up, so FreeClimb refuses the AddToConference and drops the call.
    const previous = bug('returning-caller-rejoins') ? lastConferenceOf.get(req.body.from) : undefined;
    if (previous) {
      res.json(percl.build(percl.say('Welcome back. Reconnecting you.'), percl.addToConference(previous, callId, { startConfOnEnter: true })));
      return;
    }
    if (store.agentBusy(config.agentNumber)) {
      let queueId;
      try {
        queueId = await holdQueue();
      } catch (err) {
        log(`could not create the hold queue: ${err.message}`);
        res.json(sorry('Sorry, all agents are busy. Please call again later.'));
        return;
      }
      store.waiting.add(callId);
      res.json(percl.build(
        percl.say('All agents are busy. Please hold and you will be connected to the next free agent.'),
        percl.enqueue(queueId, url('/queue/left'), url('/queue/wait')),
      ));
      return;
    }
    store.expectConference(callId, config.agentNumber);
    res.json(percl.build(
      percl.say('Thank you for calling support. Please hold while we connect you to an agent.'),
      createConferenceFor(callId),
    ));
  });

  webhooks.post('/queue/wait', (_req, res) => {
    // Runs out after the pause: FreeClimb requests it again for as long as the caller waits.
    res.json(percl.build(percl.play(url('/audio/hold.wav')), percl.say('Thank you for holding.'), percl.pause(HOLD_PAUSE_MS)));
  });

  webhooks.post('/queue/left', (req, res) => {
    const { callId, queueResult } = req.body;
    store.waiting.delete(callId);
    if (queueResult !== 'dequeued') {
      // A caller who hung up (or a full queue): the PerCL would not run.
      log(`left the hold queue: ${queueResult}`);
      res.json(queueResult === 'hangup' ? [] : sorry('Sorry, all agents are busy. Please call again later.'));
      return;
    }
    store.expectConference(callId, config.agentNumber);
    res.json(percl.build(percl.say('Thank you for holding. Connecting you to an agent now.'), createConferenceFor(callId)));
  });

  webhooks.post('/conference/created', (req, res) => {
    const conference = store.openConference(req.body.conferenceId, String(req.query.call ?? ''));
    if (bug('returning-caller-rejoins') && conference && req.body.from) lastConferenceOf.set(req.body.from, conference.id);
    if (!conference) {
      res.json(sorry('Sorry, something went wrong. Please call again.'));
      return;
    }
    const query = { conference: conference.id };
    const options = {
      statusCallbackUrl: url('/agent/status', query),
      timeout: AGENT_DIAL_TIMEOUT_SECONDS,
    };
    if (!bug('joins-voicemail')) {
      options.ifMachine = 'redirect';
      options.ifMachineUrl = url('/agent/machine', query);
    }
    if (bug('caller-left-alone')) delete options.statusCallbackUrl;
    res.json(percl.build(percl.outDial(
      conference.agentNumber,
      config.freeclimbNumber,
      url('/agent/dialing', query),
      url('/agent/connected', query),
      options,
    )));
  });

  const participantUrls = (conference) => ({
    leaveConferenceUrl: url('/conference/left', { conference: conference.id }),
    notificationUrl: url('/conference/joined', { conference: conference.id }),
  });

  webhooks.post('/agent/dialing', (req, res) => {
    const conference = store.conference(String(req.query.conference ?? ''));
    if (!conference || conference.state !== 'open') {
      res.json(sorry('Sorry, no agent is available right now. Please call again later.'));
      return;
    }
    // The caller waits (hold music) until the agent, the one who starts the conference, joins.
    res.json(percl.build(percl.addToConference(conference.id, conference.callerCallId, {
      startConfOnEnter: false,
      ...participantUrls(conference),
    })));
  });

  webhooks.post('/agent/connected', async (req, res) => {
    const body = req.body;
    const status = bug('reads-dial-call-status') ? body.dialCallStatus : body.callStatus;
    const answered = bug('busy-as-answered')
      ? status !== 'noAnswer' && status !== 'failed'
      : status === 'inProgress';
    const conference = store.conference(String(req.query.conference ?? ''));
    if (!answered) {
      log(`the agent did not answer: ${status}`);
      // FreeClimb ignores PerCL for a leg that did not connect, hence []. An agent who let it ring
      // gets the caller's voicemail; a busy line or a failed call ends the conference.
      await answerAndRest(() => res.json([]), async () => {
        if (!conference || bug('caller-left-alone')) return;
        if (status === 'noAnswer') await offerVoicemail(conference, body);
        else await endConference(conference, `agent ${status}`, body);
      });
      return;
    }
    if (!conference || conference.state !== 'open') {
      res.json(sorry('Sorry, the caller has already hung up.'));
      return;
    }
    store.addAgentLeg(conference, body.callId);
    res.json(percl.build(
      percl.say('You have a caller.'),
      percl.addToConference(conference.id, body.callId, { startConfOnEnter: true, ...participantUrls(conference) }),
    ));
  });

  /**
   * The caller leaves the conference through the SDK; their leaveConferenceUrl then offers voicemail
   * (RecordUtterance) and the conference ends. Removing comes first: terminating hangs up everyone in it.
   */
  async function offerVoicemail(conference, webhook) {
    if (conference.state !== 'open') return;
    conference.voicemail = true;
    log(`voicemail for the caller of conference ${conference.id}`);
    // BUG terminates-before-voicemail: the conference is ended first "to free the agent"; terminating
    // hangs up every participant (reference §6.13), so the caller never reaches the voicemail.
    if (bug('terminates-before-voicemail')) await endConference(conference, 'the agent did not answer', webhook);
    const id = bug('ignores-sdk-failure') ? webhook.conferenceId : conference.id;
    try {
      await sdk.api.conferences.participants(id).delete(conference.callerCallId);
    } catch (err) {
      if (bug('ignores-sdk-failure')) return;
      log(`could not take the caller to voicemail: ${err.message}`);
      await endConference(conference, 'voicemail failed', webhook);
    }
  }

  const voicemail = () => {
    const options = { maxLengthSec: VOICEMAIL_MAX_SECONDS, silenceTimeoutMs: VOICEMAIL_SILENCE_MS, playBeep: true };
    // BUG voicemail-without-finish-key: the prompt asks for the pound key, the command never names it.
    if (!bug('voicemail-without-finish-key')) options.finishOnKey = '#';
    return percl.build(
      percl.say('The agent is not available. Please leave a message after the beep, and press pound when you are done.'),
      percl.recordUtterance(url('/voicemail/saved'), options),
    );
  };

  webhooks.post('/voicemail/saved', (req, res) => {
    const { recordingId, recordingDurationSec, termReason } = req.body;
    log(`voicemail ${recordingId ?? '(none)'}: ${recordingDurationSec ?? 0} s, ${termReason}`);
    if (termReason === 'hangup') {
      res.json([]); // not run after a hang-up
      return;
    }
    res.json(sorry('Thank you. Your message has been saved. Goodbye.'));
  });

  webhooks.post('/agent/machine', async (req, res) => {
    const conference = store.conference(String(req.query.conference ?? ''));
    await answerAndRest(() => res.json(percl.build(percl.hangup())), async () => {
      if (conference) await endConference(conference, `a machine answered (${req.body.machineType ?? 'unknown'})`, req.body);
    });
  });

  webhooks.post('/agent/status', async (req, res) => {
    const conference = store.conference(String(req.query.conference ?? ''));
    if (conference && req.body.callId === conference.agentCallId) conference.agentGone = true;
    // An agent who never joined was handled on outDialConnect (or machineDetected).
    await answerAndRest(() => res.status(204).end(), async () => {
      if (conference?.agentJoined) await endConference(conference, 'the agent hung up', req.body);
    });
  });

  webhooks.post('/conference/joined', (req, res) => {
    const conference = store.conference(String(req.query.conference ?? ''));
    if (conference && req.body.callId === conference.agentCallId) conference.agentJoined = true;
    res.status(204).end();
  });

  webhooks.post('/conference/left', async (req, res) => {
    const conference = store.conference(String(req.query.conference ?? ''));
    if (conference && req.body.callId === conference.agentCallId) conference.agentGone = true;
    // The caller taken out for voicemail: the message is recorded on their own call.
    const toVoicemail = conference?.voicemail && req.body.callId === conference.callerCallId;
    await answerAndRest(() => res.json(toVoicemail ? voicemail() : percl.build(percl.hangup())), async () => {
      if (!conference) return;
      const who = req.body.callId === conference.callerCallId ? 'the caller' : 'the agent';
      await endConference(conference, `${who} left`, req.body);
    });
  });

  webhooks.post('/conference/status', async (req, res) => {
    // BUG silent-on-foreign-terminate: a conference terminated by someone else (an admin, another
    // service, through the API) while the app still counts it open takes a branch that sets the
    // status and never sends, so FreeClimb waits for the answer until it gives up.
    if (bug('silent-on-foreign-terminate') && req.body.status === 'terminated' && store.conference(req.body.conferenceId)?.state === 'open') {
      res.status(204);
      return;
    }
    if (req.body.status !== 'terminated') {
      res.status(204).end();
      return;
    }
    store.drop(req.body.conferenceId);
    // The agent is free: the caller at the front of the hold queue is next.
    await answerAndRest(() => res.status(204).end(), dequeueNext);
  });

  webhooks.post('/status', async (req, res) => {
    const { callId } = req.body;
    const conference = bug('webhook-500')
      // Every call that ends is assumed to be a caller in one of the app's conferences.
      ? store.conferences.get(store.calls.get(callId).conferenceId)
      : store.conferenceOfCall(callId);
    if (!conference) store.calls.delete(callId);
    for (const [id, ticket] of store.tickets) if (ticket.callId === callId) store.tickets.delete(id);
    await answerAndRest(() => res.status(204).end(), async () => {
      if (conference) await endConference(conference, 'the caller hung up', req.body);
    });
  });

  async function clickToCallConnected(req, res) {
    const body = req.body;
    const status = bug('reads-dial-call-status') ? body.dialCallStatus : body.callStatus;
    let id = String(req.query.ticket ?? '');
    if (!store.tickets.has(id)) {
      id = [...store.tickets].find(([, t]) => t.callId === body.callId)?.[0] ?? '';
    }
    const ticket = store.tickets.get(id);
    store.tickets.delete(id);
    if (status !== 'inProgress') {
      log(`click-to-call: ${body.to ?? 'the caller'} did not answer: ${status}`);
      await answerAndRest(() => res.json([]), async () => {
        if (!bug('dials-agent-without-visitor') || !ticket) return;
        // The agent is called although nobody is there to meet them.
        await sdk.api.calls.create(ticket.agent, config.freeclimbNumber, config.applicationId).catch((err) => log(`click-to-call: ${err.message}`));
      });
      return;
    }
    if (!ticket) {
      res.json(sorry('Sorry, this call is no longer expected. Goodbye.'));
      return;
    }
    const agent = bug('click-to-call-dials-line-agent') ? config.agentNumber : ticket.agent;
    store.expectConference(body.callId, agent);
    res.json(percl.build(
      percl.say('Please hold while we connect you to an agent.'),
      createConferenceFor(body.callId),
    ));
  }
  webhooks.post('/click/connected', clickToCallConnected);
  webhooks.post('/connect', clickToCallConnected);

  app.use(webhooks);

  app.use((_req, res) => res.status(404).type('text/plain').send('not found\n'));
  // Express 5 sends a rejected async handler here.
  app.use((err, req, res, _next) => {
    log(`error on ${req.method} ${req.path}: ${err.stack ?? err}`);
    res.status(err.status ?? 500).type('text/plain').send('internal error\n');
  });
  return app;
}

module.exports = { createApp };
