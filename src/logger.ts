import { pino, type DestinationStream, type Logger } from 'pino';

export type { Logger };

/**
 * Anything that could carry a credential is removed from log objects, wherever it sits. A failed REST call's
 * `requestBody` is what the bot sent: an answer, or a member's words.
 */
const REDACTED_PATHS = [
  'token',
  '*.token',
  'config.token',
  'authorization',
  '*.authorization',
  'headers.authorization',
  '*.headers.authorization',
  'requestBody',
  '*.requestBody',
];

/** An interaction token in a URL is a webhook credential for 15 minutes: `/interactions/:id/:token`, `/webhooks/:id/:token`. */
const URL_TOKEN = /(\/(?:interactions|webhooks)\/\d+\/)[^/?#\s"\\]+/g;

/**
 * Structured JSON logs. Besides the redacted paths, the token's value and the tokens in Discord URLs are
 * masked in every line written, so an error that quotes them (say, from a library) cannot leak them.
 */
export function createLogger(options: { level: string; secrets?: string[]; destination?: DestinationStream }): Logger {
  const secrets = (options.secrets ?? []).filter((s) => s.length >= 8);
  const mask = (line: string) =>
    secrets.reduce((masked, secret) => masked.split(secret).join('[Redacted]'), line.replace(URL_TOKEN, '$1[Redacted]'));
  return pino(
    {
      level: options.level,
      base: { app: 'ml-career-bot' },
      redact: { paths: REDACTED_PATHS, censor: '[Redacted]' },
      hooks: { streamWrite: mask },
    },
    options.destination ?? pino.destination({ dest: 1, sync: true }),
  );
}
