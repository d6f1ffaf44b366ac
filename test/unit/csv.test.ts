// The CLI's RFC 4180 CSV reader and writer: quoting, escaped quotes, separators and line breaks inside
// quotes, CRLF and LF, the UTF-8 byte-order mark, chunked input, and round trips.
import { describe, expect, it } from 'vitest';
import {
  BOM,
  CsvError,
  CsvReader,
  formatCsv,
  formatCsvField,
  formatCsvRecord,
  isBlankRecord,
  parseCsv,
  readCsvRecords,
} from '../../client-sdk/src/cli/csv.js';
import {
  flattenRecord,
  guardFormula,
  plainText,
  recordsToCsv,
  renderTable,
} from '../../client-sdk/src/cli/output.js';

describe('reading', () => {
  it('reads plain fields with CRLF or LF line ends, with or without a final line end', () => {
    expect(parseCsv('a,b,c\r\n1,2,3\r\n')).toEqual([
      ['a', 'b', 'c'],
      ['1', '2', '3'],
    ]);
    expect(parseCsv('a,b\n1,2')).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ]);
    expect(parseCsv('a\rb\r')).toEqual([['a'], ['b']]);
  });

  it('reads quoted fields holding commas, escaped quotes and line breaks', () => {
    const text =
      'name,notes\r\n"Oak House, Unit 2","said ""no"" twice"\r\n"Elm","line one\r\nline two\nline three"\r\n';
    expect(parseCsv(text)).toEqual([
      ['name', 'notes'],
      ['Oak House, Unit 2', 'said "no" twice'],
      ['Elm', 'line one\r\nline two\nline three'],
    ]);
  });

  it('keeps empty fields, empty quoted fields and spaces', () => {
    expect(parseCsv(',,\r\n"",x, y \r\n')).toEqual([
      ['', '', ''],
      ['', 'x', ' y '],
    ]);
    expect(parseCsv('""')).toEqual([['']]);
    expect(parseCsv('"a"""')).toEqual([['a"']]);
  });

  it('drops a UTF-8 byte-order mark at the start only, and keeps accented text', () => {
    expect(parseCsv(`${BOM}urn,name\r\nSC100001,Ynys Môn House\r\n`)).toEqual([
      ['urn', 'name'],
      ['SC100001', 'Ynys Môn House'],
    ]);
    expect(parseCsv(`a,${BOM}b`)).toEqual([['a', `${BOM}b`]]);
  });

  it('reports the line each record starts on, counting line breaks inside quotes', () => {
    const records = readCsvRecords('h1,h2\r\n"a\r\nb",c\r\nd,e\n\nf,g');
    expect(records.map((r) => r.line)).toEqual([1, 2, 4, 5, 6]);
    expect(isBlankRecord(records[3]!.fields)).toBe(true);
  });

  it('gives the same records whatever the chunks (a CRLF or an escaped quote split between two)', () => {
    const text = `${BOM}urn,notes\r\nSC100001,"a ""quoted"" word, and\r\na line break"\r\nSC100002,plain\r\n`;
    const whole = readCsvRecords(text);
    for (let size = 1; size <= 7; size++) {
      const reader = new CsvReader();
      const got = [];
      for (let i = 0; i < text.length; i += size) got.push(...reader.push(text.slice(i, i + size)));
      got.push(...reader.end());
      expect(got).toEqual(whole);
    }
  });

  it('is tolerant where spreadsheets are: a quote inside an unquoted field, text after a closing quote', () => {
    expect(parseCsv('5" screen,"a"b')).toEqual([['5" screen', 'ab']]);
  });

  it('refuses a quoted field that is never closed, naming the line it opened on', () => {
    expect(() => parseCsv('a,b\r\n1,"never closed\r\n2,3\r\n')).toThrow(CsvError);
    expect(() => parseCsv('a,b\r\n1,"never closed\r\n2,3\r\n')).toThrow(/line 2/);
  });
});

describe('writing', () => {
  it('quotes only what needs it, doubling quotes, and ends records with CRLF', () => {
    expect(formatCsvField('plain')).toBe('plain');
    expect(formatCsvField('a,b')).toBe('"a,b"');
    expect(formatCsvField('say "hi"')).toBe('"say ""hi"""');
    expect(formatCsvField('two\nlines')).toBe('"two\nlines"');
    expect(formatCsvField(' padded ')).toBe('" padded "');
    expect(formatCsvRecord(['a', 'b,c', ''])).toBe('a,"b,c",\r\n');
  });

  it('adds a byte-order mark when asked', () => {
    expect(formatCsv([['a']], { bom: true })).toBe(`${BOM}a\r\n`);
    expect(formatCsv([['a']])).toBe('a\r\n');
  });

  it('round-trips awkward values', () => {
    const rows = [
      ['id', 'text', 'empty', 'unicode'],
      ['1', 'comma, "quote", CRLF\r\nand LF\n', '', 'Ynys Môn — “curly” ✓'],
      ['2', '"', ',', '\r'],
    ];
    expect(parseCsv(formatCsv(rows, { bom: true }))).toEqual(rows);
  });
});

describe('flattening records for spreadsheets', () => {
  it('turns nested objects and arrays into dotted columns', () => {
    expect(
      flattenRecord({
        id: 'r1',
        active: true,
        rating: 3,
        liftedOn: null,
        provision: { name: 'Oak House', urn: 'SC100001' },
        reasons: [{ category: 'quality', text: 'staffing' }],
        tags: [],
      }),
    ).toEqual({
      id: 'r1',
      active: 'true',
      rating: '3',
      liftedOn: '',
      'provision.name': 'Oak House',
      'provision.urn': 'SC100001',
      'reasons.0.category': 'quality',
      'reasons.0.text': 'staffing',
      tags: '',
    });
  });

  it('keeps the columns of one array together when a later record has more items', () => {
    const csv = recordsToCsv(
      [
        { id: 'a', reasons: [{ text: 'x' }], status: 'active' },
        { id: 'b', reasons: [{ text: 'y' }, { text: 'z' }], status: 'lifted' },
      ],
      { bom: false },
    );
    expect(parseCsv(csv)).toEqual([
      ['id', 'reasons.0.text', 'reasons.1.text', 'status'],
      ['a', 'x', '', 'active'],
      ['b', 'y', 'z', 'lifted'],
    ]);
  });

  it('guards cells a spreadsheet would run as formulas, unless raw', () => {
    expect(guardFormula('=HYPERLINK("x")')).toBe(`'=HYPERLINK("x")`);
    expect(guardFormula('@SUM(A1)')).toBe(`'@SUM(A1)`);
    expect(guardFormula('plain')).toBe('plain');
    const records = [{ id: '1', summary: '=1+1' }];
    expect(parseCsv(recordsToCsv(records, { bom: false }))[1]).toEqual(['1', "'=1+1"]);
    expect(parseCsv(recordsToCsv(records, { bom: false, raw: true }))[1]).toEqual(['1', '=1+1']);
  });

  it('writes nothing but the byte-order mark for no records', () => {
    expect(recordsToCsv([])).toBe(BOM);
    expect(recordsToCsv([], { bom: false })).toBe('');
  });
});

describe('tables for the terminal', () => {
  it('aligns columns, keeps each cell on one line and drops control characters from free text', () => {
    const table = renderTable(
      ['verdict', 'reasons'],
      [
        ['caution', 'two\r\nlines\there'],
        ['do-not-place', 'escape \u001b[2J\u001b]0;title\u0007 gone'],
      ],
    );
    expect(table).toBe(
      'VERDICT       REASONS\ncaution       two lines here\ndo-not-place  escape [2J]0;title gone\n',
    );
    expect(plainText('a\u0000b\u009bc\nd')).toBe('abc\nd');
  });
});
