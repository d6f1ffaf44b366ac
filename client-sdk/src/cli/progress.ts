// A progress bar on stderr for long steps (reading, validating, sending), drawn only where a person
// watches: when stderr is a terminal, or when asked with --progress. Never on stdout, which scripts read.
import type { OutStream } from './io.js';

const WIDTH = 24;
/** Redraw at most this often; a 20,000-row file would otherwise write 20,000 lines. */
const INTERVAL_MS = 100;

export class Progress {
  private label = '';
  private total: number | undefined;
  private done = 0;
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

  /** Starts a step; without a total it shows a count or the time spent. */
  phase(label: string, total?: number): void {
    this.stopTicker();
    if (this.drawn && this.label !== label) {
      this.draw(true);
      this.out.write('\n');
    }
    this.label = label;
    this.total = total;
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
    let text: string;
    if (this.total !== undefined && this.total > 0) {
      const ratio = Math.min(1, this.done / this.total);
      const filled = Math.round(ratio * WIDTH);
      text = `${this.label.padEnd(11)} [${'#'.repeat(filled)}${'.'.repeat(WIDTH - filled)}] ${String(Math.floor(ratio * 100)).padStart(3)}%  ${this.done}/${this.total}`;
    } else {
      text = `${this.label.padEnd(11)} ${this.done > 0 ? String(this.done) : ''} ${((now - this.started) / 1000).toFixed(1)}s`;
    }
    // \r and padding rather than terminal escape codes, so a forced bar in a log file stays readable.
    this.out.write(`\r${text.padEnd(60)}`);
    this.drawn = true;
  }
}
