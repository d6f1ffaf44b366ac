// Dates and times as GOV.UK writes them: "4 December 2026", "4 December 2026 at 3:05pm", in UK time.
const DATE = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  timeZone: 'Europe/London',
});
const TIME = new Intl.DateTimeFormat('en-GB', {
  hour: 'numeric',
  minute: '2-digit',
  hour12: true,
  timeZone: 'Europe/London',
});

const asDate = (value: string | Date): Date =>
  typeof value === 'string' ? new Date(value.length === 10 ? `${value}T12:00:00Z` : value) : value;

export const formatDate = (value: string | Date): string => DATE.format(asDate(value));

export const formatDateTime = (value: string | Date): string => {
  const d = asDate(value);
  return `${DATE.format(d)} at ${TIME.format(d).replace(' ', '').toLowerCase()}`;
};

/** "3 days ago", "in 5 days": for a due date beside its exact one. */
export const relativeDays = (value: string | Date, now: Date = new Date()): string => {
  const days = Math.round((asDate(value).getTime() - now.getTime()) / 86_400_000);
  if (days === 0) return 'today';
  if (days > 0) return days === 1 ? 'tomorrow' : `in ${days} days`;
  return days === -1 ? 'yesterday' : `${-days} days ago`;
};

/** Rows of values as CSV text (RFC 4180), with a header row; cells that a spreadsheet would run as a formula are quoted with a leading apostrophe. */
export const toCsv = (header: string[], rows: (string | number | null | undefined)[][]): string => {
  const cell = (v: string | number | null | undefined) => {
    let s = v === null || v === undefined ? '' : String(v);
    if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return [header, ...rows].map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n';
};

/** Offers text to the person as a downloaded file. */
export const download = (filename: string, text: string, type = 'text/csv'): void => {
  const url = URL.createObjectURL(new Blob([text], { type: `${type};charset=utf-8` }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
};
