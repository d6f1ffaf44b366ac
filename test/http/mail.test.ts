// The mailer against a real SMTP server in this process: a message arrives whole, credentials in the URL
// are used and never echoed back, and an unreachable or silent relay fails fast instead of hanging.
import net from 'node:net';
import type { SMTPServerOptions } from 'smtp-server';
import { describe, expect, onTestFinished, test } from 'vitest';
import { createMailer, redactSmtpUrl, type Mailer } from '@ccx/server/testing';
import { startSmtpServer, type Received } from '../support/smtp.js';

const USER = 'hub';
const PASSWORD = 's3cret-pass';

/** An SMTP server on 127.0.0.1 and a free port, closed when the test ends; it keeps what it receives. */
const startSmtp = async (
  options: SMTPServerOptions = {},
): Promise<{ port: number; received: Received[] }> => {
  const smtp = await startSmtpServer(options);
  onTestFinished(() => smtp.close());
  return smtp;
};

const mailerFor = (smtpUrl: string, timeoutMs?: number): Mailer => {
  const mailer = createMailer({ smtpUrl, from: 'CCX Hub <hub@ccx.example>', timeoutMs });
  onTestFinished(() => mailer.close());
  return mailer;
};

/** A message's headers (unfolded, names lowercased) and its body. */
const parseMessage = (raw: string): { headers: Map<string, string>; body: string } => {
  const split = raw.indexOf('\r\n\r\n');
  const headers = new Map<string, string>();
  for (const line of raw
    .slice(0, split)
    .replace(/\r\n[ \t]+/g, ' ')
    .split('\r\n')) {
    const colon = line.indexOf(':');
    headers.set(line.slice(0, colon).toLowerCase(), line.slice(colon + 1).trim());
  }
  return { headers, body: raw.slice(split + 4) };
};

/** The error a promise rejects with; fails the test when it resolves. */
const rejectionOf = async (promise: Promise<unknown>): Promise<Error> => {
  try {
    await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(Error);
    return err as Error;
  }
  throw new Error('expected the promise to reject');
};

const MAIL = {
  to: 'officer@council.example',
  subject: 'Your sign-in code',
  text: 'Your code is 123456.\nIt expires in ten minutes.',
};

describe('createMailer', () => {
  test('delivers From, To, Subject and the text body', async () => {
    const { port, received } = await startSmtp();
    await mailerFor(`smtp://127.0.0.1:${port}`).send(MAIL);

    expect(received).toHaveLength(1);
    const [message] = received;
    expect(message?.mailFrom).toBe('hub@ccx.example');
    expect(message?.rcptTo).toEqual(['officer@council.example']);
    const { headers, body } = parseMessage(message?.raw ?? '');
    expect(headers.get('from')).toBe('CCX Hub <hub@ccx.example>');
    expect(headers.get('to')).toBe('officer@council.example');
    expect(headers.get('subject')).toBe('Your sign-in code');
    expect(body.replace(/\r\n/g, '\n').trim()).toBe(MAIL.text);
  });

  test('logs in with the credentials in the URL, and a wrong password fails without naming it', async () => {
    const logins: string[] = [];
    const { port, received } = await startSmtp({
      authOptional: false,
      authMethods: ['PLAIN', 'LOGIN'],
      allowInsecureAuth: true,
      onAuth(auth, _session, cb) {
        logins.push(`${auth.method} ${auth.username}`);
        if (auth.username === USER && auth.password === PASSWORD) cb(null, { user: USER });
        else cb(new Error('Invalid username or password'));
      },
    });

    await mailerFor(`smtp://${USER}:${PASSWORD}@127.0.0.1:${port}`).send(MAIL);
    expect(received).toHaveLength(1);
    expect(logins).toEqual([expect.stringMatching(/^(PLAIN|LOGIN) hub$/)]);

    const wrong = 'wr0ng-pass';
    const err = await rejectionOf(mailerFor(`smtp://${USER}:${wrong}@127.0.0.1:${port}`).send(MAIL));
    expect(err.message).toMatch(/EAUTH/);
    expect(err.message).toMatch(/Invalid username or password/);
    expect(err.message).not.toContain(wrong);
    expect(err.message).not.toContain(PASSWORD);
    // nodemailer's own error records the AUTH command, the password in base64: it must not travel on.
    expect(err.cause).toBeUndefined();
    expect(Object.keys(err)).toEqual([]);
    expect(received).toHaveLength(1);
  });

  test('fails fast when nobody listens on the port', async () => {
    const port = await new Promise<number>((resolve, reject) => {
      const probe = net.createServer();
      probe.once('error', reject);
      probe.listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as net.AddressInfo;
        probe.close(() => resolve(port));
      });
    });
    const started = Date.now();
    const err = await rejectionOf(mailerFor(`smtp://127.0.0.1:${port}`, 1_000).send(MAIL));
    expect(err.message).toMatch(/ECONNREFUSED|ESOCKET|ECONNECTION|ETIMEDOUT/);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  test('gives up on a relay that accepts the connection but never greets', async () => {
    const sockets = new Set<net.Socket>();
    const silent = net.createServer((socket) => sockets.add(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    onTestFinished(
      () =>
        new Promise<void>((resolve) => {
          for (const socket of sockets) socket.destroy();
          silent.close(() => resolve());
        }),
    );
    const { port } = silent.address() as net.AddressInfo;
    const started = Date.now();
    const err = await rejectionOf(mailerFor(`smtp://127.0.0.1:${port}`, 500).send(MAIL));
    expect(err.message).toMatch(/ETIMEDOUT/);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  test('refuses a URL that is not smtp:// or smtps://, without echoing it', () => {
    expect(() => createMailer({ smtpUrl: 'http://hub:pw@127.0.0.1', from: 'hub@ccx.example' })).toThrow(
      /smtp:\/\/ or smtps:\/\//,
    );
  });
});

describe('redactSmtpUrl', () => {
  test('hides the password and keeps the rest', () => {
    const redacted = redactSmtpUrl(`smtps://${USER}:${PASSWORD}@smtp.example.com:465`);
    expect(redacted).toBe('smtps://hub:***@smtp.example.com:465');
    expect(redacted).not.toContain(PASSWORD);
  });

  test('hides a percent-encoded password too', () => {
    expect(redactSmtpUrl('smtp://hub:p%40ss%3Aword@smtp.example.com')).toBe(
      'smtp://hub:***@smtp.example.com',
    );
  });

  test('leaves a URL without a password as it is', () => {
    expect(redactSmtpUrl('smtp://127.0.0.1:2525')).toBe('smtp://127.0.0.1:2525');
    expect(redactSmtpUrl('smtp://hub@127.0.0.1:2525')).toBe('smtp://hub@127.0.0.1:2525');
  });

  test('says nothing of a string it cannot parse', () => {
    expect(redactSmtpUrl('not a url s3cret-pass')).not.toContain(PASSWORD);
  });
});
