import { pino, type DestinationStream, type Logger } from 'pino';

export type { Logger };

/** Anything that could carry a credential is removed from log objects, wherever it sits. */
const REDACTED_PATHS = ['token', '*.token', 'config.token', 'authorization', '*.authorization', 'headers.authorization', '*.headers.authorization'];

/**
 * Structured JSON logs. Besides the redacted paths, the token's value is masked in every message string,
 * so an error that quotes it (say, from a library) cannot leak it.
 */
export function createLogger(options: { level: string; secrets?: string[]; destination?: DestinationStream }): Logger {
  const secrets = (options.secrets ?? []).filter((s) => s.length >= 8);
  const mask = (text: string) => secrets.reduce((masked, secret) => masked.split(secret).join('[Redacted]'), text);
  return pino(
    {
      level: options.level,
      base: { app: 'ml-career-bot' },
      redact: { paths: REDACTED_PATHS, censor: '[Redacted]' },
      hooks: secrets.length
        ? {
            streamWrite: mask,
          }
        : {},
    },
    options.destination ?? pino.destination({ dest: 1, sync: true }),
  );
}
