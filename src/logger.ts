import { createRequire } from 'node:module';
import { isatty } from 'node:tty';
import { pino, type DestinationStream, type Logger } from 'pino';

export type { Logger };

export const LOG_FORMATS = ['json', 'pretty'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

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
 * Structured logs: JSON lines for machines, or `format: 'pretty'` for a person at a terminal. Besides the
 * redacted paths, the token's value and the tokens in Discord URLs are masked in every line written, so an
 * error that quotes them (say, from a library) cannot leak them.
 */
export function createLogger(options: { level: string; format?: LogFormat; secrets?: string[]; destination?: DestinationStream }): Logger {
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
    options.destination ?? standardOutput(options.format ?? 'json'),
  );
}

/** Written synchronously, so the last line before an exit is never lost; pino-pretty runs in-process for that too. */
function standardOutput(format: LogFormat): DestinationStream {
  const stdout = pino.destination({ dest: 1, sync: true });
  if (format === 'json') return stdout;
  // Loaded only for a person at a terminal: JSON, the default, does without it and its dependencies at start.
  const { prettyFactory } = createRequire(import.meta.url)('pino-pretty') as typeof import('pino-pretty');
  const prettify = prettyFactory({ colorize: isatty(1), translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname,app' });
  return { write: (line: string) => stdout.write(prettify(line)) };
}
