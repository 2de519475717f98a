// The zod schemas are the single source of types for the client, the simulator and the receiver,
// so these tests pin them to the reference's own examples (§3.2, §4.4) and to its conflicts.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CallResult, ConferenceList, ConferenceResult, CreateConferenceRequest, ErrorBody, MakeCallRequest } from '../support/schemas/rest';
import { checkWebhook, isEvent, type Webhook } from '../support/schemas/webhooks';

const ACCOUNT = 'AC170e4c66d358aa1755931da0452561933d1b8fd5';
const CONFERENCE = 'CFf44c926f757059dea479b144947488e1f257be58';
const CALL = 'CA2b3f987c5f848fd2168f6324b39efb249bed599d';
const RECORDING = 'RE5d9b0a7b1e3c4f2a8d6e0b9c7a5f3e1d2c4b6a8f';
const FROM = '+13121000109';
const TO = '+13121000096';

/** Reference §3.2, with the undocumented `subresourceUris` values filled in plausibly. */
const conference = {
  uri: `/Accounts/${ACCOUNT}/Conferences/${CONFERENCE}`,
  dateCreated: 'Mon, 15 Jun 2009 20:45:30 GMT',
  dateUpdated: 'Mon, 15 Jun 2009 20:45:30 GMT',
  revision: 1,
  conferenceId: CONFERENCE,
  accountId: ACCOUNT,
  alias: 'room-1',
  playBeep: 'always',
  record: false,
  status: 'empty',
  waitUrl: null,
  actionUrl: null,
  statusCallbackUrl: 'https://harness.example/conf/status',
  subresourceUris: {
    participants: `/Accounts/${ACCOUNT}/Conferences/${CONFERENCE}/Participants`,
    recordings: `/Accounts/${ACCOUNT}/Conferences/${CONFERENCE}/Recordings`,
  },
};

describe('REST resources', () => {
  it('accepts the reference ConferenceResult example', () => {
    const result = ConferenceResult.safeParse(conference);
    assert.equal(result.success, true, result.error?.message);
  });

  it('rejects a conference status outside the SPEC resource enum', () => {
    // `creating` appears only in webhook docs (§3.2 CONFLICT); the resource enum does not have it.
    assert.equal(ConferenceResult.safeParse({ ...conference, status: 'creating' }).success, false);
  });

  it('rejects a non-RFC 1123 date and a uri outside /Accounts/', () => {
    assert.equal(ConferenceResult.safeParse({ ...conference, dateCreated: '2009-06-15T20:45:30Z' }).success, false);
    assert.equal(ConferenceResult.safeParse({ ...conference, uri: `https://www.freeclimb.com/apiserver${conference.uri}` }).success, false);
  });

  it('accepts a conference list page', () => {
    const page = { total: 1, start: 0, end: 0, page: 0, numPages: 1, pageSize: 1, nextPageUri: null, conferences: [conference] };
    assert.equal(ConferenceList.safeParse(page).success, true);
  });

  it('accepts a completed outbound call with nullable fields null', () => {
    const call = {
      uri: `/Accounts/${ACCOUNT}/Calls/${CALL}`,
      dateCreated: 'Mon, 15 Jun 2009 20:45:30 GMT',
      dateUpdated: 'Mon, 15 Jun 2009 20:46:30 GMT',
      revision: 3,
      callId: CALL,
      parentCallId: null,
      accountId: ACCOUNT,
      from: FROM,
      to: TO,
      phoneNumberId: null,
      status: 'completed',
      startTime: 'Mon, 15 Jun 2009 20:45:31 GMT',
      connectTime: 'Mon, 15 Jun 2009 20:45:35 GMT',
      endTime: 'Mon, 15 Jun 2009 20:46:30 GMT',
      duration: 59,
      connectDuration: 55,
      direction: 'outboundAPI',
      answeredBy: null,
      subresourceUris: null,
      applicationId: null,
    };
    const result = CallResult.safeParse(call);
    assert.equal(result.success, true, result.error?.message);
  });

  it('ErrorBody accepts `call` (SPEC) or `message` (CLI fixtures), and rejects neither', () => {
    const url = 'https://docs.freeclimb.com/reference/error-and-warning-dictionary#0';
    assert.equal(ErrorBody.safeParse({ code: 0, call: 'Internal Failure', url }).success, true);
    assert.equal(ErrorBody.safeParse({ code: 2, message: 'Method Not Allowed', url, details: {} }).success, true);
    const neither = ErrorBody.safeParse({ code: 50, url, details: {} });
    assert.equal(neither.success, false);
    assert.match(neither.error?.issues[0].message ?? '', /`call`.*`message`/);
  });
});

describe('REST request bodies', () => {
  it('CreateConferenceRequest requires statusCallbackUrl', () => {
    const missing = CreateConferenceRequest.safeParse({ alias: 'room-1', playBeep: 'never' });
    assert.equal(missing.success, false);
    assert.deepEqual(missing.error?.issues.map((i) => i.path.join('.')), ['statusCallbackUrl']);
    assert.equal(CreateConferenceRequest.safeParse({ alias: 'room-1', statusCallbackUrl: 'https://h/conf/status' }).success, true);
    assert.equal(CreateConferenceRequest.safeParse({ statusCallbackUrl: 'not a url' }).success, false);
  });

  it('MakeCallRequest needs one of applicationId, callConnectUrl or parentCallId', () => {
    const base = { from: FROM, to: TO };
    const none = MakeCallRequest.safeParse(base);
    assert.equal(none.success, false);
    assert.match(none.error?.issues[0].message ?? '', /applicationId, callConnectUrl or parentCallId/);
    for (const extra of [
      { applicationId: 'AP0123456789abcdef0123456789abcdef01234567' },
      { callConnectUrl: 'https://h/connect' },
      { parentCallId: CALL },
    ]) {
      assert.equal(MakeCallRequest.safeParse({ ...base, ...extra }).success, true, JSON.stringify(extra));
    }
  });
});

describe('webhooks: checkWebhook', () => {
  const std = { accountId: ACCOUNT, callId: CALL, from: FROM, to: TO, direction: 'inbound', queueId: null };
  /** Reference §4.4: the real SDK fixture, then the illustrative payloads with `…` filled in. */
  const examples: Record<string, object> = {
    inboundCall: {
      accountId: 'AC1334ffb694cd8d969f51cddf5f7c9b478546d50c',
      callId: 'CAccb0b00506553cda09b51c5477f672a49e0b2213',
      callStatus: 'ringing',
      conferenceId: null,
      direction: 'inbound',
      from: '+13121000109',
      parentCallId: null,
      queueId: null,
      requestType: 'inboundCall',
      to: '+13121000096',
    },
    createConference: {
      requestType: 'createConference',
      ...std,
      callStatus: 'inProgress',
      conferenceId: CONFERENCE,
      status: 'empty',
      recordingUrl: null,
      recordingId: null,
      recordingDurationSec: null,
    },
    conferenceStatus: { requestType: 'conferenceStatus', ...std, callStatus: 'inProgress', conferenceId: CONFERENCE, status: 'populated' },
    conferenceRecordingStatus: {
      requestType: 'conferenceRecordingStatus',
      ...std,
      callStatus: 'completed',
      conferenceId: CONFERENCE,
      status: 'empty',
      recordingUrl: `https://www.freeclimb.com/apiserver/Accounts/${ACCOUNT}/Recordings/${RECORDING}/Download`,
      recordingId: RECORDING,
      recordingDurationSec: 42,
    },
    leaveConference: { requestType: 'leaveConference', ...std, callStatus: 'inProgress', conferenceId: CONFERENCE },
    callControl: { requestType: 'callControl', accountId: ACCOUNT, callId: CALL, conferenceId: CONFERENCE, digits: '*9' },
    callStatus: { requestType: 'callStatus', ...std, callStatus: 'completed', callEndedReason: 'conferenceTerminated', conferenceId: null },
  };

  for (const [requestType, payload] of Object.entries(examples)) {
    it(`accepts the §4.4 ${requestType} example`, () => {
      const check = checkWebhook(JSON.stringify(payload));
      assert.equal(check.ok, true, check.ok ? '' : check.message);
      assert.equal((check as { webhook: Webhook }).webhook.requestType, requestType);
    });
  }

  it('rejects a body that is not JSON', () => {
    const check = checkWebhook('requestType=inboundCall&callId=CA1');
    assert.equal(check.ok, false);
    assert.equal(!check.ok && check.reason, 'not-json');
  });

  it('rejects a JSON array', () => {
    const check = checkWebhook(JSON.stringify([examples.inboundCall]));
    assert.equal(!check.ok && check.reason, 'not-object');
  });

  it('names an unknown requestType', () => {
    const check = checkWebhook(JSON.stringify({ ...examples.conferenceStatus, requestType: 'conferenceMuted' }));
    assert.equal(check.ok, false);
    if (check.ok) return;
    assert.equal(check.reason, 'unknown-request-type');
    assert.match(check.message, /"conferenceMuted"/);
    assert.match(check.message, /\/requestType/);
  });

  it('accepts both documented names of the call-control and recording webhooks ([CONFLICT] §4.1, §6.10)', () => {
    const callControl = { requestType: 'callControl', accountId: `AC${'1'.repeat(40)}`, callId: `CA${'2'.repeat(40)}`, conferenceId: `CF${'3'.repeat(40)}`, digits: '*9' };
    for (const requestType of ['callControl', 'conferenceCallControl']) {
      assert.equal(checkWebhook(JSON.stringify({ ...callControl, requestType })).ok, true, requestType);
      assert.equal(isEvent(requestType, 'callControl'), true);
    }
    for (const requestType of ['conferenceRecordingStatus', 'conferenceRecordingEnded']) {
      assert.equal(checkWebhook(JSON.stringify({ ...examples.conferenceRecordingStatus, requestType })).ok, true, requestType);
      assert.equal(isEvent(requestType, 'conferenceRecordingStatus'), true);
    }
    assert.equal(isEvent('conferenceStatus', 'conferenceRecordingStatus'), false);
  });

  it('accepts a REST-created conference creation callback without call fields (§4.3 [AMBIGUOUS])', () => {
    const { callId: _c, from: _f, to: _t, callStatus: _s, direction: _d, ...bare } = examples.createConference as Record<string, unknown>;
    assert.equal(checkWebhook(JSON.stringify(bare)).ok, true);
  });

  it('names /status when a conferenceStatus webhook lacks it', () => {
    const { status: _status, ...withoutStatus } = examples.conferenceStatus as { status: string };
    const check = checkWebhook(JSON.stringify(withoutStatus));
    assert.equal(check.ok, false);
    if (check.ok) return;
    assert.equal(check.reason, 'invalid');
    assert.match(check.message, /conferenceStatus/);
    assert.match(check.message, /\/status\b/);
    assert.deepEqual(check.issues.map((i) => i.split(':')[0]), ['/status']);
  });

  it('rejects a callStatus webhook with an undocumented callEndedReason', () => {
    const check = checkWebhook(JSON.stringify({ ...examples.callStatus, callEndedReason: 'participantLeft' }));
    assert.equal(!check.ok && check.reason, 'invalid');
  });
});
