// PerCL commands that capture what the caller says or the call's audio: RecordUtterance,
// StartRecordCall, GetSpeech and TranscribeUtterance. Sources: SPEC components of the same names,
// GrammarType, GrammarFileBuiltIn, TranscribeUtteranceRecord; the RecordUtterance, StartRecordCall
// and GetSpeech doc pages; SDK 2.1.3 percl.js and enums.
import { z } from 'zod';
import { Bool, DtmfKey, Prompts, Url, WholeNumber } from './percl-primitives';

export const RecordUtterance = z.strictObject({
  actionUrl: Url,
  // [AMBIGUOUS] No default is documented for silenceTimeoutMs, maxLengthSec, playBeep or autoStart.
  silenceTimeoutMs: WholeNumber.optional(),
  finishOnKey: DtmfKey.optional(),
  maxLengthSec: WholeNumber.optional(),
  playBeep: Bool.optional(),
  autoStart: Bool.optional(),
  privacyMode: Bool.optional(),
});

/** The doc page: "does not support any attributes". */
export const StartRecordCall = z.strictObject({});

export const GrammarType = z.enum(['URL', 'BUILTIN']);
/** The platform's built-in grammars (SPEC GrammarFileBuiltIn = SDK 2.1.3 enums.grammarFileBuiltIn). */
export const GRAMMAR_FILES_BUILTIN = [
  'ALPHNUM6',
  'ANY_DIG',
  'DIG1',
  'DIG2',
  'DIG3',
  'DIG4',
  'DIG5',
  'DIG6',
  'DIG7',
  'DIG8',
  'DIG9',
  'DIG10',
  'DIG11',
  'UP_TO_20_DIGIT_SEQUENCE',
  'VERSAY_YESNO',
] as const;
/** A 0.0–1.0 level (confidenceThreshold, sensitivityLevel). */
const Level = z.number().min(0).max(1);

export const GetSpeech = z.strictObject({
  actionUrl: Url,
  // grammarFile is a URL or a built-in name depending on grammarType; that pairing is checked in
  // support/percl/script-rules.ts, since the reference does not say which grammarType is the default.
  grammarFile: z.string().min(1),
  grammarType: GrammarType.optional(),
  grammarRule: z.string().optional(),
  playBeep: Bool.optional(),
  prompts: Prompts.optional(),
  noInputTimeoutMs: WholeNumber.optional(),
  recognitionTimeoutMs: WholeNumber.optional(),
  confidenceThreshold: Level.optional(),
  sensitivityLevel: Level.optional(),
  speechCompleteTimeoutMs: WholeNumber.optional(),
  speechIncompleteTimeoutMs: WholeNumber.optional(),
  privacyMode: Bool.optional(),
});

export const TranscribeUtterance = z.strictObject({
  actionUrl: Url,
  playBeep: Bool.optional(),
  record: z
    .strictObject({
      saveRecording: Bool.optional(),
      maxLengthSec: z.number().int().min(1).max(60).optional(),
      rcrdTerminationSilenceTimeMs: z.number().int().min(1).max(3000).optional(),
    })
    .optional(),
  privacyForLogging: Bool.optional(),
  privacyForRecording: Bool.optional(),
  prompts: Prompts.optional(),
});
