'use strict';
// What the app remembers, in memory: a restart forgets it, as it would in production.
//
//   conference: { id, callerCallId, agentNumber, agentCallId, agentJoined, agentGone, voicemail, state }
//     state 'open'    the caller is in it or on the way, the agent rings or talks
//           'ending'  the app asked FreeClimb to terminate it
//           'ended'   FreeClimb reported terminated (the record is then dropped)
//   call:       { agentNumber, conferenceId }   for the caller's leg and the agent's leg
//   ticket:     { caller, agent, callId }       a click-to-call request until its call connects
//   waiting:    callIds of callers in the hold queue, until its actionUrl reports them gone
const { randomUUID } = require('node:crypto');

class Store {
  constructor() {
    this.conferences = new Map();
    this.calls = new Map();
    this.tickets = new Map();
    this.waiting = new Set();
  }

  /** The agent at `agentNumber` is talking to a caller: joined a conference that is still open and not gone. */
  agentBusy(agentNumber) {
    return [...this.conferences.values()].some((c) => c.agentNumber === agentNumber && c.agentJoined && !c.agentGone && c.state === 'open');
  }

  newTicket(caller, agent) {
    const id = randomUUID();
    this.tickets.set(id, { caller, agent, callId: undefined });
    return id;
  }

  /** The caller's call is about to create a conference that the agent will be dialled into. */
  expectConference(callerCallId, agentNumber) {
    this.calls.set(callerCallId, { agentNumber, conferenceId: undefined });
  }

  openConference(conferenceId, callerCallId) {
    const call = this.calls.get(callerCallId);
    if (!call) return undefined;
    call.conferenceId = conferenceId;
    const conference = {
      id: conferenceId,
      callerCallId,
      agentNumber: call.agentNumber,
      agentCallId: undefined,
      agentJoined: false,
      agentGone: false,
      voicemail: false,
      state: 'open',
    };
    this.conferences.set(conferenceId, conference);
    return conference;
  }

  addAgentLeg(conference, callId) {
    conference.agentCallId = callId;
    this.calls.set(callId, { agentNumber: conference.agentNumber, conferenceId: conference.id });
  }

  conference(conferenceId) {
    return conferenceId ? this.conferences.get(conferenceId) : undefined;
  }

  conferenceOfCall(callId) {
    const call = this.calls.get(callId);
    return call ? this.conference(call.conferenceId) : undefined;
  }

  /** FreeClimb reported the conference terminated: forget it and its legs. */
  drop(conferenceId) {
    const conference = this.conferences.get(conferenceId);
    if (!conference) return;
    this.conferences.delete(conferenceId);
    this.calls.delete(conference.callerCallId);
    if (conference.agentCallId) this.calls.delete(conference.agentCallId);
  }
}

module.exports = { Store };
