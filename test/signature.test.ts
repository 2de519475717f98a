import { test } from 'node:test';
import assert from 'node:assert/strict';
import { signatureHeader, verifySignature } from '../support/signature';

// The reference test vector (§4.5, from the SDK's RequestVerifier spec).
const SECRET = 'sigsec_ead6d3b6904196c60835d039e91b3341c77a7793';
const T = 1679944186;
const BODY =
  '{"accountId":"AC1334ffb694cd8d969f51cddf5f7c9b478546d50c","callId":"CAccb0b00506553cda09b51c5477f672a49e0b2213","callStatus":"ringing","conferenceId":null,"direction":"inbound","from":"+13121000109","parentCallId":null,"queueId":null,"requestType":"inboundCall","to":"+13121000096"}';
const V1 = 'c3957749baf61df4b1506802579cc69a74c77a1ae21447b930e5a704f9ec4120';
const OTHER_V1 = '1ba1'.padEnd(64, '0');

const at = (nowSec: number) => ({ toleranceSec: 300, nowSec });

function assertFailure(result: ReturnType<typeof verifySignature>, reason: string) {
  assert.equal(result.ok, false, 'expected verification to fail');
  if (result.ok) return;
  assert.equal(result.reason, reason, result.message);
  assert.ok(!result.message.includes(SECRET), 'message leaks the secret');
  assert.ok(!result.message.includes(V1), 'message leaks the expected digest');
}

test('signatureHeader reproduces the reference vector', () => {
  assert.equal(signatureHeader(BODY, SECRET, T), `t=${T},v1=${V1}`);
  assert.equal(signatureHeader(Buffer.from(BODY), SECRET, T), `t=${T},v1=${V1}`);
});

test('verifySignature accepts the reference vector', () => {
  assert.deepEqual(verifySignature(BODY, `t=${T},v1=${V1}`, SECRET, at(T)), { ok: true, t: T });
  assert.deepEqual(verifySignature(Buffer.from(BODY), `t=${T},v1=${V1}`, SECRET, at(T + 300)), { ok: true, t: T });
});

test('any of several v1 values may match, in any position', () => {
  assert.equal(verifySignature(BODY, `t=${T},v1=${OTHER_V1},v1=${V1}`, SECRET, at(T)).ok, true);
  assert.equal(verifySignature(BODY, `t=${T}, v1=${V1}, v1=${OTHER_V1}`, SECRET, at(T)).ok, true);
  assertFailure(verifySignature(BODY, `t=${T},v1=${OTHER_V1},v1=${'f'.repeat(64)}`, SECRET, at(T)), 'mismatch');
});

test('missing header', () => {
  assertFailure(verifySignature(BODY, undefined, SECRET, at(T)), 'missing');
  assertFailure(verifySignature(BODY, '  ', SECRET, at(T)), 'missing');
});

test('malformed headers', () => {
  for (const header of [
    `v1=${V1}`, // no t
    `t=${T}`, // no v1
    `t=${T},t=${T},v1=${V1}`, // two t
    `t=soon,v1=${V1}`,
    `t=${T},v1=abc`,
    `t=${T},v1=${V1.toUpperCase()}`,
    `t=${T};v1=${V1}`,
    `${V1}`,
  ]) {
    assertFailure(verifySignature(BODY, header, SECRET, at(T)), 'malformed');
  }
});

test('stale timestamps are rejected past the tolerance', () => {
  const result = verifySignature(BODY, `t=${T},v1=${V1}`, SECRET, at(T + 301));
  assertFailure(result, 'stale');
  assert.match(!result.ok ? result.message : '', /301s old/);
});

test('timestamps too far in the future are rejected too', () => {
  assert.equal(verifySignature(BODY, `t=${T},v1=${V1}`, SECRET, at(T - 300)).ok, true);
  const result = verifySignature(BODY, `t=${T},v1=${V1}`, SECRET, at(T - 301));
  assertFailure(result, 'stale');
  assert.match(!result.ok ? result.message : '', /in the future.*clock skew/);
});

test('mismatch: other secret, altered body, altered timestamp', () => {
  assertFailure(verifySignature(BODY, `t=${T},v1=${V1}`, 'sigsec_other', at(T)), 'mismatch');
  assertFailure(verifySignature(BODY + ' ', `t=${T},v1=${V1}`, SECRET, at(T)), 'mismatch');
  assertFailure(verifySignature(BODY, `t=${T + 1},v1=${V1}`, SECRET, at(T)), 'mismatch');
});
