// Attribute types shared by every PerCL command schema. They live apart from the command registry
// (percl.ts) so that the command families in percl-*.ts can use them without an import cycle.
import { z } from 'zod';

export const Url = z.url({ protocol: /^https?$/, error: 'must be an absolute http(s) URL' });
export const Bool = z.boolean();
/** A duration or count the reference types as "integer"; a negative one can mean nothing. */
export const WholeNumber = z.number().int().min(0);
/** One DTMF key: the reference allows any digit, `#` or `*` wherever a finish key is named. */
export const DtmfKey = z.string().regex(/^[0-9*#]$/, 'a single key: 0-9, * or #');
/** Prompts hold nested commands; the validator checks each element itself (support/percl/validate.ts). */
export const Prompts = z.array(z.unknown());
