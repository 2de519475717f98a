// PerCL (reference §5): a JSON array of single-key objects, `{CommandName: attributes}`.
// Attribute schemas are strict so that typos surface; attributes that older SDKs still emit are
// listed in LEGACY_ATTRIBUTES and only produce a warning (SDK 2.1.3 shapes, §7.4/§7.6).
import { z } from 'zod';
import { DtmfString, E164, PlayBeep } from './common';
import { GetSpeech, RecordUtterance, StartRecordCall, TranscribeUtterance } from './percl-capture';
import { Bool, Url } from './percl-primitives';
import { Dequeue, Enqueue, Park, Unpark } from './percl-queue';

/** The Say languages of SPEC `Language` and SDK 2.1.3 `enums.language` (the same 26 values). */
export const SayLanguage = z.enum([
  'ca-ES', 'da-DK', 'de-DE', 'en-AU', 'en-CA', 'en-GB', 'en-IN', 'en-US', 'es-ES', 'es-MX', 'fi-FI', 'fr-CA', 'fr-FR',
  'it-IT', 'ja-JP', 'ko-KR', 'nb-NO', 'nl-NL', 'pl-PL', 'pt-BR', 'pt-PT', 'ru-RU', 'sv-SE', 'zh-CN', 'zh-HK', 'zh-TW',
]);

export const Say = z.strictObject({
  text: z.string().max(4096),
  language: SayLanguage.optional(),
  engine: z.strictObject({ name: z.enum(['freeclimb.standard', 'freeclimb.neural', 'ElevenLabs']), parameters: z.record(z.string(), z.unknown()).optional() }).optional(),
  loop: z.number().int().min(0).optional(),
  privacyMode: Bool.optional(),
});
export const Play = z.strictObject({
  file: z.string().min(1),
  loop: z.number().int().min(0).optional(),
  privacyMode: Bool.optional(),
});
/** Only meaningful at the start of the answer to an inbound call; placement is checked in script-rules.ts. */
export const PlayEarlyMedia = z.strictObject({ file: z.string().min(1) });
export const Pause = z.strictObject({ length: z.number().int().positive() });
export const Hangup = z.strictObject({ reason: z.string().optional() });
export const Reject = z.strictObject({ reason: z.string().optional() });
export const Redirect = z.strictObject({ actionUrl: Url });
export const SendDigits = z.strictObject({
  digits: DtmfString,
  pauseMs: z.number().int().min(100).max(1000).optional(),
  privacyMode: Bool.optional(),
});

export const Sms = z.strictObject({
  to: E164,
  from: E164,
  // The doc page: "cannot be an empty string". Its length limit conflicts (SPEC 160, SDK 2.1.3 254):
  // the longer one is the error here, the shorter one a warning (script-rules.ts).
  text: z.string().min(1).max(254),
  notificationUrl: Url.optional(),
});

export const PromptCommand = z.union([
  z.strictObject({ Say }),
  z.strictObject({ Play }),
  z.strictObject({ Pause }),
]);

export const GetDigits = z.strictObject({
  actionUrl: Url,
  digitTimeoutMs: z.number().int().positive().optional(),
  finishOnKey: z.string().regex(/^[0-9*#]$/).optional(),
  flushBuffer: Bool.optional(),
  // A string before SDK 3.6.0, an integer since (§5.3).
  initialTimeoutMs: z.union([z.number().int().positive(), z.string().regex(/^\d+$/)]).optional(),
  maxDigits: z.number().int().positive().optional(),
  minDigits: z.number().int().min(0).optional(),
  prompts: z.array(z.unknown()).optional(),
  privacyMode: Bool.optional(),
});

export const OutDial = z.strictObject({
  actionUrl: Url,
  callConnectUrl: Url,
  callingNumber: z.string().min(1),
  destination: z.string().regex(/^\+[1-9][0-9]{1,14}$/, 'destination is an E.164 number'),
  ifMachine: z.enum(['redirect', 'hangup']).optional(),
  ifMachineUrl: Url.optional(),
  sendDigits: DtmfString.optional(),
  statusCallbackUrl: Url.optional(),
  timeout: z.number().int().positive().optional(),
  privacyMode: Bool.optional(),
});

export const CreateConference = z.strictObject({
  actionUrl: Url,
  alias: z.string().max(64).optional(),
  playBeep: PlayBeep.optional(),
  record: Bool.optional(),
  statusCallbackUrl: Url.optional(),
  waitUrl: Url.optional(),
  parentCallId: z.string().optional(),
});

export const AddToConference = z.strictObject({
  conferenceId: z.string().startsWith('CF', 'conferenceId must be a conference ID (CF…)'),
  startConfOnEnter: Bool.optional(),
  talk: Bool.optional(),
  listen: Bool.optional(),
  dtmfPassThrough: Bool.optional(),
  allowCallControl: Bool.optional(),
  callControlSequence: z.string().regex(/^[0-9*#]+$/, 'callControlSequence may contain 0-9, * and #').optional(),
  callControlUrl: Url.optional(),
  leaveConferenceUrl: Url.optional(),
  notificationUrl: Url.optional(),
});
export const RemoveFromConference = z.strictObject({});
export const TerminateConference = z.strictObject({});
export const SetListen = z.strictObject({ listen: Bool.optional() });
export const SetTalk = z.strictObject({ talk: Bool.optional() });
export const SetDTMFPassThrough = z.strictObject({ dtmfPassThrough: Bool.optional() });

/** Attribute schema per command name. */
export const COMMANDS = {
  CreateConference,
  AddToConference,
  RemoveFromConference,
  TerminateConference,
  SetListen,
  SetTalk,
  SetDTMFPassThrough,
  Say,
  Play,
  Pause,
  Hangup,
  Reject,
  Redirect,
  OutDial,
  GetDigits,
  SendDigits,
  Enqueue,
  Dequeue,
  Park,
  Unpark,
  RecordUtterance,
  StartRecordCall,
  GetSpeech,
  TranscribeUtterance,
  PlayEarlyMedia,
  Sms,
} as const;
export type CommandName = keyof typeof COMMANDS;
export const COMMAND_NAMES = Object.keys(COMMANDS) as CommandName[];

/**
 * Commands after which nothing else in the script runs (§5.1–§5.3; support/percl/catalog.ts gives
 * the source of each). Enqueue and Park hand the call to their waitUrl and actionUrl, so nothing
 * after them can run either, though no stored page calls Enqueue "terminal" in words [AMBIGUOUS].
 */
export const TERMINAL_COMMANDS: ReadonlySet<CommandName> = new Set<CommandName>([
  'CreateConference',
  'AddToConference',
  'TerminateConference',
  'Redirect',
  'OutDial',
  'GetDigits',
  'Reject',
  'Enqueue',
  'Dequeue',
  'Park',
  'Unpark',
  'RecordUtterance',
  'GetSpeech',
  'TranscribeUtterance',
]);

/** Commands that may appear inside a `prompts` list. */
export const PROMPT_COMMANDS: ReadonlySet<CommandName> = new Set<CommandName>(['Say', 'Play', 'Pause']);
/** Commands whose `prompts` attribute holds nested commands; no other command nests anything. */
export const PROMPT_HOLDERS: ReadonlySet<CommandName> = new Set<CommandName>(['GetDigits', 'GetSpeech', 'TranscribeUtterance']);

/** Attributes removed from the spec in 2024 that SDK 2.1.3 still emits (§5.2, §7.4). */
export const LEGACY_ATTRIBUTES: Readonly<Partial<Record<CommandName, readonly string[]>>> = {
  AddToConference: ['callId'],
  RemoveFromConference: ['callId'],
  TerminateConference: ['conferenceId'],
  SetListen: ['callId'],
  SetTalk: ['callId'],
  SetDTMFPassThrough: ['callId'],
  Say: ['conferenceId'],
  Play: ['conferenceId'],
};

export type Attributes<N extends CommandName> = z.infer<(typeof COMMANDS)[N]>;
/** A validated command, as the simulator executes it. */
export type Command = { [N in CommandName]: { name: N; attrs: Attributes<N>; legacy: Record<string, unknown> } }[CommandName];
export type PerclCommandJson = { [N in CommandName]?: Attributes<N> };
export type PerclScript = PerclCommandJson[];
