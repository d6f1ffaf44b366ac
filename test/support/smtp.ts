// A real SMTP server in the test process (the `smtp-server` package): it keeps every message it is
// given, so a test can read what the hub sent.
import type net from 'node:net';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';

export type Received = { mailFrom: string | undefined; rcptTo: string[]; raw: string };

/** An SMTP server on 127.0.0.1 and a free port; it keeps what it receives until closed. */
export const startSmtpServer = async (
  options: SMTPServerOptions = {},
): Promise<{ port: number; received: Received[]; close(): Promise<void> }> => {
  const received: Received[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    ...options,
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const mailFrom = session.envelope.mailFrom;
        received.push({
          mailFrom: mailFrom === false ? undefined : mailFrom.address,
          rcptTo: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('utf8'),
        });
        cb();
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return {
    port: (server.server.address() as net.AddressInfo).port,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
};
