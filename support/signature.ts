// FreeClimb request signatures (reference §4.5): `FreeClimb-Signature: t=<secs>,v1=<hex>[,v1=<hex>…]`
// where v1 = hex(HMAC-SHA256(secret, "<t>.<raw body>")). The receiver verifies every webhook with
// this and the simulator signs with it, so both sides share one definition.
//
// Bodies may be given as bytes: the HMAC covers the exact bytes received, and decoding to a string
// first would silently change invalid UTF-8 and make a correct signature look forged.
import { createHmac, timingSafeEqual } from 'node:crypto';

export type SignedBody = string | Uint8Array;

export type SignatureFailure = 'missing' | 'malformed' | 'stale' | 'mismatch';

export type SignatureCheck =
  | { ok: true; t: number }
  | { ok: false; reason: SignatureFailure; message: string };

const HEX_DIGEST = /^[0-9a-f]{64}$/;

function digest(rawBody: SignedBody, secret: string, t: number): Buffer {
  return createHmac('sha256', secret).update(`${t}.`).update(rawBody).digest();
}

/** The header value FreeClimb would send for this body at this time. */
export function signatureHeader(rawBody: SignedBody, secret: string, unixSeconds: number): string {
  if (!Number.isSafeInteger(unixSeconds) || unixSeconds < 0) {
    throw new RangeError(`signature timestamp must be a non-negative integer of seconds, got ${unixSeconds}`);
  }
  return `t=${unixSeconds},v1=${digest(rawBody, secret, unixSeconds).toString('hex')}`;
}

type Parsed = { ok: true; t: number; v1: Buffer[] } | { ok: false; message: string };

function parseHeader(header: string): Parsed {
  let t: number | undefined;
  const v1: Buffer[] = [];
  for (const part of header.split(',')) {
    const eq = part.indexOf('=');
    if (eq <= 0) return { ok: false, message: `element ${JSON.stringify(clip(part.trim()))} is not key=value` };
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (key === 't') {
      if (t !== undefined) return { ok: false, message: 'more than one t= element' };
      if (!/^\d{1,12}$/.test(value)) return { ok: false, message: `t=${JSON.stringify(clip(value))} is not unix seconds` };
      t = Number(value);
    } else if (key === 'v1') {
      // FreeClimb sends lower-case hex (§4.5); accepting upper case would hide a signer bug.
      if (!HEX_DIGEST.test(value)) return { ok: false, message: `v1 value is not 64 lower-case hex digits (length ${value.length})` };
      v1.push(Buffer.from(value, 'hex'));
    }
    // Other keys (a future v2 scheme, say) are ignored, as the SDKs ignore them.
  }
  if (t === undefined) return { ok: false, message: 'no t= element' };
  if (v1.length === 0) return { ok: false, message: 'no v1= element' };
  return { ok: true, t, v1 };
}

/**
 * Check a FreeClimb-Signature header. Messages describe the header and the clock, never the
 * secret or the digest we expected (that would let anyone reading logs forge this request).
 */
export function verifySignature(
  rawBody: SignedBody,
  header: string | undefined,
  secret: string,
  opts: { toleranceSec: number; nowSec: number },
): SignatureCheck {
  if (header === undefined || header.trim() === '') {
    return { ok: false, reason: 'missing', message: 'no FreeClimb-Signature header' };
  }
  const parsed = parseHeader(header);
  if (!parsed.ok) return { ok: false, reason: 'malformed', message: `malformed FreeClimb-Signature header: ${parsed.message}` };
  const { t, v1 } = parsed;
  const age = opts.nowSec - t;
  if (age > opts.toleranceSec) {
    return {
      ok: false,
      reason: 'stale',
      message: `signature timestamp t=${t} is ${age}s old, more than the ${opts.toleranceSec}s tolerance (now=${opts.nowSec})`,
    };
  }
  // The SDKs accept any future timestamp (§4.5). We are stricter on purpose: a harness should
  // flag a signer whose clock is skewed, since a real verifier with a tighter check would reject it.
  if (-age > opts.toleranceSec) {
    return {
      ok: false,
      reason: 'stale',
      message: `signature timestamp t=${t} is ${-age}s in the future, more than the ${opts.toleranceSec}s tolerance (now=${opts.nowSec}); check for clock skew`,
    };
  }
  const expected = digest(rawBody, secret, t);
  // Compare against every v1 without stopping early, so timing does not reveal which one matched.
  let matched = false;
  for (const candidate of v1) matched = timingSafeEqual(candidate, expected) || matched;
  if (!matched) {
    return {
      ok: false,
      reason: 'mismatch',
      message: `none of the ${v1.length} v1 signature(s) matches HMAC-SHA256 over "<t>.<body>" for t=${t} and the ${byteLength(rawBody)}-byte body`,
    };
  }
  return { ok: true, t };
}

// Echo enough of a bad element to recognise it, not a whole digest.
function clip(text: string): string {
  return text.length > 16 ? `${text.slice(0, 12)}…(${text.length} chars)` : text;
}

function byteLength(body: SignedBody): number {
  return typeof body === 'string' ? Buffer.byteLength(body, 'utf8') : body.byteLength;
}
