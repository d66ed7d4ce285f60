/**
 * Structured logs (pino). Rule: never log what a user typed or what a card carried — only ids,
 * types and counts. The redaction list is a safety net for fields that could carry such text if
 * someone logs a whole activity by mistake.
 */
import pino, { type DestinationStream, type Logger } from 'pino';

export type { Logger } from 'pino';

export const REDACTED_PATHS = [
  'text',
  'value',
  'attachments',
  'activity.text',
  'activity.value',
  'activity.attachments',
  'body',
  'req.body',
  '*.text',
  '*.value',
  'password',
  '*.password',
  'connectionString',
  '*.connectionString',
];

export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { app: 'lex-sarah-assistenten' },
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination,
  );
}
