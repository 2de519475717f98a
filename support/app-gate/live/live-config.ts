// What a live app-gate run needs beyond live mode's configuration (support/config.ts): the app's own
// number on the account, and the numbers the harness answers as the people the app calls. One zod
// schema, read from the environment like every other setting; a bad value is one error naming it.
import { z } from 'zod';
import type { VariableDoc } from '../../config-docs';
import { shardOf } from '../../shard';

const E164 = /^\+[1-9][0-9]{1,14}$/;

export const AppLiveEnv = z.object({
  // The number callers dial: an incoming number of the account, routed to the app's application by
  // `fch app live setup`. Not one of live mode's FREECLIMB_NUMBER_A/B, so the suite and the gate can share an account.
  FREECLIMB_APP_NUMBER: z.string().regex(E164, 'must be an E.164 number such as +15550100003'),
  // Numbers of the account the harness answers as the people the app calls (`Given "agent" is at …`);
  // a feature may only place people on these. Comma separated; empty when the app calls nobody.
  HARNESS_APP_PEOPLE_NUMBERS: z
    .string()
    .default('')
    .transform((raw) => raw.split(',').map((n) => n.trim()).filter(Boolean))
    .pipe(z.array(z.string().regex(E164, 'each must be an E.164 number such as +15550107777'))),
});

/** What each variable means, for docs/configuration.md (scripts/lib/config-page.ts; `npm run docs:config`). */
export const APP_LIVE_VARIABLE_DOCS: Record<keyof typeof AppLiveEnv.shape, VariableDoc> = {
  FREECLIMB_APP_NUMBER: {
    meaning: 'The number callers dial in a live app gate: an incoming number of the account, routed to the app\'s application by `fch app live setup`. Not one of `FREECLIMB_NUMBER_A`/`B`, so the suite and the gate can share an account.',
    values: 'an E.164 number such as +15550100003',
    defaultText: 'none: required by `fch app test --live`',
    readBy: ['app-live'],
  },
  HARNESS_APP_PEOPLE_NUMBERS: {
    meaning: 'Numbers of the account that the harness answers as the people the app calls (`Given "agent" is at …`); a feature may only place people on these.',
    values: 'comma-separated E.164 numbers',
    defaultText: 'empty: the app calls nobody',
    readBy: ['app-live'],
  },
};

export interface AppLiveConfig {
  appNumber: string;
  peopleNumbers: string[];
  /** The applications of this run: `fch-app-live` and `fch-app-live-harness`, `-s2` after each for shard 2 (HARNESS_SHARD). */
  appAlias: string;
  harnessAlias: string;
}

export function loadAppLiveConfig(env: NodeJS.ProcessEnv = process.env): AppLiveConfig {
  const parsed = AppLiveEnv.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.path[0] === 'FREECLIMB_APP_NUMBER' && env.FREECLIMB_APP_NUMBER === undefined ? 'required for a live app gate: the account number callers dial, routed to the app by `fch app live setup`' : i.message}`);
    throw new Error(`live app gate configuration:\n  ${lines.join('\n  ')}`);
  }
  // Shards that run at once each need their own applications (each routes its own number to its own public URL).
  const shard = shardOf(env);
  const tail = shard ? `-s${shard.index}` : '';
  return { appNumber: parsed.data.FREECLIMB_APP_NUMBER, peopleNumbers: parsed.data.HARNESS_APP_PEOPLE_NUMBERS, appAlias: APP_LIVE_ALIAS + tail, harnessAlias: APP_LIVE_HARNESS_ALIAS + tail };
}

/** The application the app's number routes to, and the one the harness's own legs use. */
export const APP_LIVE_ALIAS = 'fch-app-live';
export const APP_LIVE_HARNESS_ALIAS = 'fch-app-live-harness';

/** Paths on the public URL that the harness answers itself; every other path is the app's. */
export const HARNESS_PREFIX = '/_fch';
export const HARNESS_PATHS = {
  /** A caller's leg connected (outDialApiConnect), and every turn of its hold loop. */
  leg: `${HARNESS_PREFIX}/leg`,
  /** A person's number rang: the app called them. */
  personVoice: `${HARNESS_PREFIX}/person`,
  status: `${HARNESS_PREFIX}/status`,
  /** `fch app live doctor` asks this through the public URL to see that it reaches the harness. */
  ping: `${HARNESS_PREFIX}/ping`,
} as const;

/** The URLs of the two applications `fch app live setup` keeps, all under the public URL. */
export function appLiveUrls(publicUrl: string, app: { voicePath: string; statusPath: string | null; connectPath: string | null }) {
  const base = publicUrl.replace(/\/+$/, '');
  return {
    app: {
      voiceUrl: base + app.voicePath,
      ...(app.statusPath ? { statusCallbackUrl: base + app.statusPath } : {}),
      ...(app.connectPath ? { callConnectUrl: base + app.connectPath } : {}),
    },
    harness: { voiceUrl: base + HARNESS_PATHS.personVoice, callConnectUrl: base + HARNESS_PATHS.leg, statusCallbackUrl: base + HARNESS_PATHS.status },
  };
}
