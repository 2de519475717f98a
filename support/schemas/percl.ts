// PerCL (reference §5): a JSON array of single-key objects, `{CommandName: attributes}`.
// Attribute schemas are strict so that typos surface; attributes that older SDKs still emit are
// listed in LEGACY_ATTRIBUTES and only produce a warning (SDK 2.1.3 shapes, §7.4/§7.6).
import { z } from 'zod';
import { DtmfString, PlayBeep } from './common';

const Url = z.url({ protocol: /^https?$/, error: 'must be an absolute http(s) URL' });
const Bool = z.boolean();

export const Say = z.strictObject({
  text: z.string().max(4096),
  language: z.string().optional(),
  engine: z.strictObject({ name: z.enum(['freeclimb.standard', 'freeclimb.neural', 'ElevenLabs']), parameters: z.record(z.string(), z.unknown()).optional() }).optional(),
  loop: z.number().int().min(0).optional(),
  privacyMode: Bool.optional(),
});
export const Play = z.strictObject({
  file: z.string().min(1),
  loop: z.number().int().min(0).optional(),
  privacyMode: Bool.optional(),
});
export const Pause = z.strictObject({ length: z.number().int().positive() });
export const Hangup = z.strictObject({ reason: z.string().optional() });
export const Reject = z.strictObject({ reason: z.string().optional() });
export const Redirect = z.strictObject({ actionUrl: Url });
export const SendDigits = z.strictObject({
  digits: DtmfString,
  pauseMs: z.number().int().min(100).max(1000).optional(),
  privacyMode: Bool.optional(),
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
} as const;
export type CommandName = keyof typeof COMMANDS;
export const COMMAND_NAMES = Object.keys(COMMANDS) as CommandName[];

/** Commands after which nothing else in the script runs (§5.1–§5.3). */
export const TERMINAL_COMMANDS: ReadonlySet<CommandName> = new Set<CommandName>([
  'CreateConference',
  'AddToConference',
  'TerminateConference',
  'Redirect',
  'OutDial',
  'GetDigits',
  'Reject',
]);

/** Commands that may appear inside GetDigits.prompts. */
export const PROMPT_COMMANDS: ReadonlySet<CommandName> = new Set<CommandName>(['Say', 'Play', 'Pause']);

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
