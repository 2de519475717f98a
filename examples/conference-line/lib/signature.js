'use strict';
// FreeClimb signs every webhook: `FreeClimb-Signature: t=<unix seconds>,v1=<hex>[,v1=<hex>…]`,
// where v1 = hex(HMAC-SHA256(signingSecret, "<t>.<raw body>")). A request is authentic when any v1
// matches. The HMAC covers the exact bytes received, so callers must pass the raw body Buffer, not
// a re-serialised JSON object (key order and whitespace would change the digest).
const { createHmac, timingSafeEqual } = require('node:crypto');

// Five minutes, the tolerance FreeClimb's own SDK examples use. Only the past is bounded: the
// SDKs accept timestamps in the future, and a simulator with a virtual clock may sign ahead.
const DEFAULT_TOLERANCE_SEC = 5 * 60;

/**
 * @param {Buffer} rawBody
 * @param {string | undefined} header  the FreeClimb-Signature header value
 * @param {string} secret
 * @param {{ nowSec?: number, toleranceSec?: number }} [opts]
 * @returns {{ ok: true } | { ok: false, reason: string }}  reasons never include the secret or a digest
 */
function verifySignature(rawBody, header, secret, opts = {}) {
  const nowSec = opts.nowSec ?? Math.floor(Date.now() / 1000);
  const toleranceSec = opts.toleranceSec ?? DEFAULT_TOLERANCE_SEC;
  if (!header) return { ok: false, reason: 'no FreeClimb-Signature header' };

  let t;
  const candidates = [];
  for (const part of header.split(',')) {
    const eq = part.indexOf('=');
    if (eq <= 0) return { ok: false, reason: 'malformed FreeClimb-Signature header' };
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (key === 't' && /^\d{1,12}$/.test(value)) t = Number(value);
    else if (key === 'v1' && /^[0-9a-f]{64}$/i.test(value)) candidates.push(Buffer.from(value, 'hex'));
  }
  if (t === undefined || candidates.length === 0) return { ok: false, reason: 'FreeClimb-Signature lacks t= or v1=' };
  if (nowSec - t > toleranceSec) return { ok: false, reason: `signature is ${nowSec - t}s old (limit ${toleranceSec}s)` };

  const expected = createHmac('sha256', secret).update(`${t}.`).update(rawBody).digest();
  // Check every candidate, without stopping early, so timing reveals nothing about which matched.
  let matched = false;
  for (const candidate of candidates) matched = timingSafeEqual(candidate, expected) || matched;
  return matched ? { ok: true } : { ok: false, reason: 'no v1 signature matches the body' };
}

module.exports = { verifySignature, DEFAULT_TOLERANCE_SEC };
