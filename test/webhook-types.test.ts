// The harness knows every requestType FreeClimb documents (SPEC RequestType and the Webhook
// discriminator, SDK 2.1.3 enums.requestType), including those of queues, recordings, speech, SMS
// and transcription; and it knows when their answers are run as PerCL.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { answerIsRun, checkWebhook, PERCL_EXPECTED, REQUEST_TYPES, type RequestType } from '../support/schemas/webhooks';

// SPEC components.schemas.RequestType.enum (nodejs-sdk HEAD openapi.json), which SDK 2.1.3's
// enums.requestType also lists, plus the discriminator-only `callControl` and `transcribe`.
const SPEC_REQUEST_TYPES = [
  'inboundCall', 'record', 'getDigits', 'getSpeech', 'redirect', 'pause', 'outDialStart', 'outDialConnect', 'outDialApiConnect',
  'machineDetected', 'dequeue', 'queueWait', 'addToQueueNotification', 'removeFromQueueNotification', 'callStatus', 'createConference',
  'conferenceStatus', 'leaveConference', 'addToConferenceNotification', 'conferenceRecordingStatus', 'conferenceCallControl',
  'messageDelivery', 'messageStatus', 'callControl', 'transcribe',
];

const A = `AC${'1'.repeat(40)}`;
const C = `CA${'2'.repeat(40)}`;
const Q = `QU${'3'.repeat(40)}`;
const std = { accountId: A, callId: C, from: '+13121000109', to: '+13121000096', callStatus: 'inProgress', direction: 'inbound', conferenceId: null };

describe('requestTypes', () => {
  it('every documented requestType has a schema, except pause (in the enum, but no webhook is described for it)', () => {
    assert.deepEqual(SPEC_REQUEST_TYPES.filter((t) => !(REQUEST_TYPES as string[]).includes(t)), ['pause']);
  });

  const examples: Record<string, Record<string, unknown>> = {
    queueWait: { requestType: 'queueWait', ...std, queueId: Q, queuePosition: '2', queueTime: 30, currentQueueSize: 3 },
    addToQueueNotification: { requestType: 'addToQueueNotification', ...std, queueId: Q },
    dequeue: { requestType: 'dequeue', ...std, queueId: Q, queueResult: 'dequeued', queueTime: 42 },
    removeFromQueueNotification: { requestType: 'removeFromQueueNotification', ...std, queueId: Q, queueResult: 'hangup', queueTime: 12 },
    record: { requestType: 'record', ...std, queueId: null, recordingId: 'RE1', recordingUrl: 'https://h/r', recordingSize: '96044', recordingFormat: 'audio/wav', recordingDurationSec: 12, termReason: 'finishKey', parentCallId: null, privacyMode: false },
    getSpeech: { requestType: 'getSpeech', ...std, queueId: null, reason: 'recognition', recognitionResult: 'sales', confidence: 87, parentCallId: null },
    messageStatus: { requestType: 'messageStatus', accountId: A, messageId: 'SM1', callId: C, from: '+15550100001', to: '+15550104444', text: 'hi', direction: 'outbound', status: 'sent' },
    messageDelivery: { requestType: 'messageDelivery', accountId: A, from: '+15550104444', to: '+15550100001', text: 'STOP', direction: 'inbound', status: 'received', applicationId: 'AP1', phoneNumberId: 'PN1' },
    transcribe: { requestType: 'transcribe', accountId: A, callId: C, termReason: 'completed', transcript: 'call me back', recordingDurationMs: 2300 },
  };
  for (const [requestType, body] of Object.entries(examples)) {
    it(`accepts a ${requestType} with its documented fields`, () => {
      const check = checkWebhook(JSON.stringify(body));
      assert.equal(check.ok, true, check.ok ? '' : check.message);
    });
  }

  it('rejects a queue webhook whose queueResult is not documented for it', () => {
    assert.equal(checkWebhook(JSON.stringify({ ...examples.dequeue, queueResult: 'hangup' })).ok, false);
    assert.equal(checkWebhook(JSON.stringify({ ...examples.removeFromQueueNotification, queueResult: 'dequeued' })).ok, false);
  });
});

describe('answers run as PerCL', () => {
  it('for queueWait, dequeue, removeFromQueueNotification, record, getSpeech and transcribe; not for the notifications', () => {
    for (const t of ['queueWait', 'dequeue', 'removeFromQueueNotification', 'record', 'getSpeech', 'transcribe'] as RequestType[]) assert.ok(PERCL_EXPECTED.has(t), t);
    for (const t of ['addToQueueNotification', 'messageStatus', 'messageDelivery'] as RequestType[]) assert.ok(!PERCL_EXPECTED.has(t), t);
  });

  it('except after a hang-up, where the docs say the PerCL is not executed', () => {
    assert.equal(answerIsRun('removeFromQueueNotification', { queueResult: 'hangup' }), false);
    assert.equal(answerIsRun('removeFromQueueNotification', { queueResult: 'queueFull' }), true);
    assert.equal(answerIsRun('record', { termReason: 'hangup' }), false);
    assert.equal(answerIsRun('record', { termReason: 'timeout' }), true);
    assert.equal(answerIsRun('getSpeech', { reason: 'hangup' }), false);
    assert.equal(answerIsRun('getSpeech', { reason: 'noInput' }), true);
    assert.equal(answerIsRun('transcribe', { transcribeReason: 'hangup' }), false);
  });
});
