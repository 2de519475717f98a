// Resource identifiers in the documented formats (reference §1.1). They are random rather than
// sequential so that a test can never pass by guessing an ID, and never collide across simulators.
import { randomBytes } from 'node:crypto';

export type IdPrefix = 'AC' | 'AP' | 'CF' | 'CA' | 'RE' | 'PN' | 'QU' | 'SM';

export function newId(prefix: IdPrefix): string {
  return prefix + randomBytes(20).toString('hex');
}

/** RFC 1123 as used by `dateCreated` / `dateUpdated` and call times (§3.1). */
export function rfc1123(ms: number): string {
  return new Date(ms).toUTCString();
}
