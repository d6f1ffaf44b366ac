// Structured JSON logs (pino). Secrets and tokens are redacted wherever they appear in a logged object.
import { pino, type DestinationStream, type Logger } from 'pino';

export type { Logger };

/**
 * A logger at `level`, writing JSON lines to stdout (or to `destination`, as tests capture them).
 * Stdout is written asynchronously: a line is handed to the system without waiting for it (lines that
 * come while a write is in flight go out together in the next), so a slow disk or pipe never holds up
 * a request; whatever is still buffered is written out when the process exits.
 */
export const createLogger = (level: string, destination?: DestinationStream): Logger =>
  pino(
    {
      level,
      base: { service: 'ccx' },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: {
        paths: [
          'clientSecret',
          '*.clientSecret',
          'client_secret',
          '*.client_secret',
          'authorization',
          '*.authorization',
          'headers.authorization',
          'access_token',
          '*.access_token',
          'privateJwk',
          '*.privateJwk',
        ],
        censor: '[redacted]',
      },
    },
    destination ?? pino.destination({ dest: 1, sync: false }),
  );
