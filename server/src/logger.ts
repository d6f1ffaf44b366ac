// Structured JSON logs (pino). Secrets and tokens are redacted wherever they appear in a logged object.
import { pino, type Logger } from 'pino';

export type { Logger };

export const createLogger = (level: string): Logger =>
  pino({
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
  });
