// A progress bar on stderr for long steps (reading, validating, sending), drawn only where a person
// watches: when stderr is a terminal, or when asked with --progress. Never on stdout, which scripts read.
// It shows the rate and, when the total is known, the time left:
//   checking    [######..................]  24%  1,200/5,000 · 410/s · about 9 s left
import type { OutStream } from './io.js';

const WIDTH = 24;
/** Redraw at most this often; a 20,000-row file would otherwise write 20,000 lines. */
const INTERVAL_MS = 100;
/** No rate (nor time left) before this much of a step has passed: the first moments say too little. */
const RATE_AFTER_MS = 500;

/** What a step counts: items (rows, settings, records) or bytes of a file. */
export type ProgressUnit = 'items' | 'bytes';

/** 1200 → "1,200": the same in every locale, so logs and tests read alike. */
export const groupDigits = (n: number): string => String(Math.floor(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');

const MB = 1024 * 1024;
const amount = (n: number, unit: ProgressUnit): string =>
  unit === 'bytes'
    ? n >= MB
      ? `${(n / MB).toFixed(1)} MB`
      : `${groupDigits(Math.ceil(n / 1024))} KB`
    : groupDigits(n);

const rateText = (perSecond: number, unit: ProgressUnit): string =>
  unit === 'bytes'
    ? `${amount(perSecond, 'bytes')}/s`
    : `${perSecond >= 10 ? groupDigits(Math.round(perSecond)) : perSecond.toFixed(1)}/s`;

/** A time left or taken in words: "9 s", "2 min 5 s", "1 h 4 min". */
export const durationText = (ms: number): string => {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  const min = Math.floor(s / 60);
  if (min < 60) return `${min} min${s % 60 ? ` ${s % 60} s` : ''}`;
  return `${Math.floor(min / 60)} h${min % 60 ? ` ${min % 60} min` : ''}`;
};

export class Progress {
  private label = '';
  private total: number | undefined;
  private unit: ProgressUnit = 'items';
  private done = 0;
  /** The width of the last line drawn, so a shorter one blanks what is left of it. */
  private lastWidth = 0;
  private lastDraw = 0;
  private drawn = false;
  private started = Date.now();
  /** Redraws a step with no measurable progress (waiting for the hub), so the elapsed time moves. */
  private ticker: ReturnType<typeof setInterval> | undefined;

  constructor(
    private readonly out: OutStream,
    readonly enabled: boolean,
  ) {}

  static for(out: OutStream, forced: boolean | undefined): Progress {
    return new Progress(out, forced === true || out.isTTY === true);
  }

  /** Starts a step; without a total it shows a count and rate, or the time spent. */
  phase(label: string, total?: number, unit: ProgressUnit = 'items'): void {
    this.stopTicker();
    if (this.drawn && this.label !== label) {
      this.draw(true);
      this.out.write('\n');
    }
    this.label = label;
    this.total = total;
    this.unit = unit;
    this.done = 0;
    this.started = Date.now();
    this.draw(true);
    if (this.enabled && total === undefined) {
      this.ticker = setInterval(() => this.draw(true), 250);
      this.ticker.unref();
    }
  }

  update(done: number): void {
    this.done = done;
    this.draw(false);
  }

  /** Ends the bar with a last drawing, so the final state stays on screen. */
  finish(): void {
    this.stopTicker();
    if (!this.enabled || !this.drawn) return;
    this.draw(true);
    this.out.write('\n');
    this.drawn = false;
  }

  private stopTicker(): void {
    if (this.ticker) clearInterval(this.ticker);
    this.ticker = undefined;
  }

  private draw(force: boolean): void {
    if (!this.enabled) return;
    const now = Date.now();
    if (!force && now - this.lastDraw < INTERVAL_MS) return;
    this.lastDraw = now;
    const text = this.text(now);
    // \r and padding rather than terminal escape codes, so a forced bar in a log file stays readable.
    this.out.write(`\r${text.padEnd(Math.max(60, this.lastWidth))}`);
    this.lastWidth = text.length;
    this.drawn = true;
  }

  /** The line for the current state, at time `now`. */
  private text(now: number): string {
    const elapsed = now - this.started;
    const { done, total, unit } = this;
    const rate = elapsed >= RATE_AFTER_MS && done > 0 ? (done / elapsed) * 1000 : undefined;
    const parts: string[] = [];
    let head: string;
    if (total !== undefined && total > 0) {
      const ratio = Math.min(1, done / total);
      const filled = Math.round(ratio * WIDTH);
      head = `${this.label.padEnd(11)} [${'#'.repeat(filled)}${'.'.repeat(WIDTH - filled)}] ${String(Math.floor(ratio * 100)).padStart(3)}%  ${amount(done, unit)}/${amount(total, unit)}`;
      if (rate !== undefined) parts.push(rateText(rate, unit));
      if (done >= total) parts.push(`took ${durationText(elapsed)}`);
      else if (rate !== undefined) parts.push(`about ${durationText(((total - done) / rate) * 1000)} left`);
    } else if (done > 0) {
      head = `${this.label.padEnd(11)} ${amount(done, unit)}`;
      if (rate !== undefined) parts.push(rateText(rate, unit));
    } else {
      // Nothing to count yet (waiting for the hub): the time spent, so the line visibly moves.
      head = `${this.label.padEnd(11)} ${(elapsed / 1000).toFixed(1)}s`;
    }
    return [head, ...parts].join(' · ');
  }
}
