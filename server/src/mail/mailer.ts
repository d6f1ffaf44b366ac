// Outgoing e-mail through an SMTP relay named by one URL (smtp:// or smtps://, credentials in the URL).
// Errors and log lines never carry the relay's password.
import nodemailer from 'nodemailer';

export type Mail = { to: string; subject: string; text: string };

export type Mailer = { send(mail: Mail): Promise<void>; close(): void };

// A relay that does not answer should fail a send in seconds, not hold it for nodemailer's minutes.
const DEFAULT_TIMEOUT_MS = 10_000;

/** The URL with any password replaced by `***`, for logs and error messages. */
export const redactSmtpUrl = (url: string): string => {
  try {
    const parsed = new URL(url);
    if (parsed.password === '') return url;
    parsed.password = '***';
    return parsed.toString();
  } catch {
    // Not a URL we can parse: say nothing of what it holds.
    return '<unparseable SMTP URL>';
  }
};

const passwordOf = (url: URL): string[] => {
  if (url.password === '') return [];
  const forms = [url.password];
  try {
    forms.push(decodeURIComponent(url.password));
  } catch {
    // a malformed escape: the raw form is all there is
  }
  return forms;
};

const scrub = (message: string, secrets: string[]): string =>
  secrets.reduce((m, secret) => (secret === '' ? m : m.split(secret).join('***')), message);

export const createMailer = (opts: { smtpUrl: string; from: string; timeoutMs?: number }): Mailer => {
  let url: URL;
  try {
    url = new URL(opts.smtpUrl);
  } catch {
    throw new Error(`invalid SMTP URL ${redactSmtpUrl(opts.smtpUrl)}`);
  }
  if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:')
    throw new Error(`SMTP URL must be smtp:// or smtps://, not ${url.protocol}//`);
  const secrets = passwordOf(url);
  const timeout = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const transport = nodemailer.createTransport({
    url: opts.smtpUrl,
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: timeout,
  });

  return {
    async send(mail) {
      try {
        await transport.sendMail({ from: opts.from, to: mail.to, subject: mail.subject, text: mail.text });
      } catch (err) {
        // Only the message and code travel on, with no `cause`: nodemailer's error also records the last
        // SMTP command, which for AUTH PLAIN is the password in base64.
        const e = err as { message?: unknown; code?: unknown };
        const detail = typeof e.message === 'string' ? e.message : String(err);
        const code = typeof e.code === 'string' ? ` (${e.code})` : '';
        // eslint-disable-next-line preserve-caught-error -- the cause would carry the password
        throw new Error(
          scrub(`sending mail through ${redactSmtpUrl(opts.smtpUrl)} failed${code}: ${detail}`, secrets),
        );
      }
    },
    close() {
      transport.close();
    },
  };
};
