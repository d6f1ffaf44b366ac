// Input files that are not CSV UTF-8, as spreadsheets save them: workbooks are named as such with how to
// save them as CSV, files separated by semicolons or tabs likewise, and UTF-16 text is read. And the
// progress bar's rate and time left. The fixtures are made here, byte by byte; none is committed.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, test, vi } from 'vitest';
import { readCsvFile } from '../../client-sdk/src/cli/csv-file.js';
import { Progress } from '../../client-sdk/src/cli/progress.js';
import { runMain } from '../support/cli.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'ccx-cli-files-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const file = async (name: string, content: Buffer | string): Promise<string> => {
  await writeFile(path.join(dir, name), content);
  return name;
};

/** `ccx` in this process, with credentials for a hub that is never reached: the file is refused first. */
const ccx = (args: string[]) =>
  runMain(args, {
    env: {
      CCX_CONFIG: path.join(dir, 'none.json'),
      CCX_URL: 'http://127.0.0.1:9',
      CCX_CLIENT_ID: 'ccx_files',
      CCX_CLIENT_SECRET: 'ccxs_files',
    },
    cwd: dir,
  });

const zipHeader = Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00, 0x08, 0x00]);
const xlsx = Buffer.concat([
  zipHeader,
  Buffer.alloc(20),
  Buffer.from('[Content_Types].xml...xl/workbook.xml'),
]);
const ods = Buffer.concat([
  zipHeader,
  Buffer.alloc(20),
  Buffer.from('mimetypeapplication/vnd.oasis.opendocument.spreadsheet'),
]);
const xls = Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(504)]);
const SAVE_AS = 'in Excel use File › Save As › "CSV UTF-8 (Comma delimited)"';

describe('a spreadsheet that is not CSV UTF-8', () => {
  test('an Excel workbook (.xlsx or .xls) or an OpenDocument one is named as such, for check and import', async () => {
    const cases: [string, Buffer, string][] = [
      ['shortlist.xlsx', xlsx, `shortlist.xlsx is an Excel workbook, not CSV: ${SAVE_AS}`],
      ['renamed.csv', xlsx, `renamed.csv is an Excel workbook, not CSV: ${SAVE_AS}`],
      ['old.xls', xls, `old.xls is an Excel 97–2003 workbook (.xls), not CSV: ${SAVE_AS}`],
      ['sheet.ods', ods, 'sheet.ods is an OpenDocument spreadsheet, not CSV'],
    ];
    for (const [name, bytes, message] of cases) {
      await file(name, bytes);
      for (const args of [
        ['check', '--file', name],
        ['placements', 'import', name, '--dry-run'],
      ]) {
        const r = await ccx(args);
        expect([name, ...args, r.code], r.stderr).toEqual([name, ...args, 1]);
        expect(r.stderr).toContain(`ccx: ${message}`);
        expect(r.stderr).not.toContain('header has');
      }
    }
  });

  test('a file separated by semicolons or tabs says so', async () => {
    await file('semi.csv', 'urn;children;fromDate\r\nSC900001;2;2026-04-01\r\n');
    const semi = await ccx(['placements', 'import', 'semi.csv', '--dry-run']);
    expect(semi.code).toBe(1);
    expect(semi.stderr).toContain(
      'ccx: semi.csv is separated by semicolons; save it as CSV UTF-8 (comma delimited)',
    );
    await file('tabs.txt', 'urn\tname\nSC900001\tOak\n');
    const tabs = await ccx(['check', '--file', 'tabs.txt']);
    expect([tabs.code, tabs.stderr]).toEqual([1, expect.stringContaining('tabs.txt is separated by tabs')]);
  });

  test('text in a local code page (Windows-1252) is told to be saved as CSV UTF-8', async () => {
    await file('ansi.csv', Buffer.from('urn,name\r\nSC900001,Café\r\n', 'latin1'));
    const r = await ccx(['check', '--file', 'ansi.csv']);
    expect([r.code, r.stderr]).toEqual([1, expect.stringContaining(`ansi.csv is not UTF-8 text`)]);
    expect(r.stderr).toContain(SAVE_AS);
  });

  test('UTF-16 text, with a byte-order mark or without, is read as such', async () => {
    const text = 'urn,name\r\nSC900001,Café Oak\r\nSC900002,Elm\r\n';
    const swap = (b: Buffer) => Buffer.from(b).swap16();
    const le = Buffer.from(text, 'utf16le');
    const files: [string, Buffer][] = [
      ['le-bom.csv', Buffer.concat([Buffer.from([0xff, 0xfe]), le])],
      ['be-bom.csv', Buffer.concat([Buffer.from([0xfe, 0xff]), swap(le)])],
      ['le.csv', le],
      ['be.csv', swap(le)],
    ];
    for (const [name, bytes] of files) {
      await file(name, bytes);
      const table = await readCsvFile(dir, name);
      expect([name, table.header]).toEqual([name, ['urn', 'name']]);
      expect(table.rows.map((r) => r.fields)).toEqual([
        ['SC900001', 'Café Oak'],
        ['SC900002', 'Elm'],
      ]);
    }
  });
});

describe('the progress bar', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  const drawn = () => {
    let text = '';
    return {
      out: { write: (s: string) => (text += s), isTTY: true },
      last: () => text.split('\r').at(-1)!.trimEnd(),
    };
  };

  test('shows the count, the rate and the time left when the total is known', () => {
    vi.useFakeTimers({ now: new Date('2026-12-03T10:00:00Z') });
    const { out, last } = drawn();
    const progress = Progress.for(out, undefined);
    progress.phase('outcomes', 5000);
    vi.advanceTimersByTime(2927);
    progress.update(1200);
    expect(last()).toMatch(/^outcomes\s+\[#{6}\.{18}\]\s+24%\s+1,200\/5,000 · 410\/s · about 9 s left$/);
    vi.advanceTimersByTime(9073);
    progress.update(5000);
    progress.finish();
    expect(last()).toMatch(/100%\s+5,000\/5,000 · 417\/s · took 12 s$/);
  });

  test('shows the rate only when the total is not known, and bytes as KB or MB', () => {
    vi.useFakeTimers({ now: new Date('2026-12-03T10:00:00Z') });
    const { out, last } = drawn();
    const progress = new Progress(out, true);
    progress.phase('restrictions');
    // (Between two redraws of the clock, which tick every 250 ms while nothing is counted.)
    vi.advanceTimersByTime(2950);
    progress.update(1230);
    expect(last()).toBe('restrictions 1,230 · 417/s');
    progress.phase('reading', 4 * 1024 * 1024, 'bytes');
    vi.advanceTimersByTime(2000);
    progress.update(1024 * 1024);
    expect(last()).toMatch(/1\.0 MB\/4\.0 MB · 512 KB\/s · about 6 s left$/);
    progress.finish();
  });

  test('is drawn only on a terminal or when asked', () => {
    let text = '';
    const progress = Progress.for({ write: (s: string) => (text += s) }, undefined);
    progress.phase('outcomes', 10);
    progress.update(5);
    progress.finish();
    expect(text).toBe('');
  });
});
