import { describe, expect, it } from 'vitest';
import { parseCsv, parseLabelledCsv } from '../../../tools/eval/parse-csv.ts';

describe('parseCsv (RFC 4180)', () => {
  it('splits plain fields and rows, with LF or CRLF', () => {
    expect(parseCsv('a,b\r\nc,d\ne,f')).toEqual([
      ['a', 'b'],
      ['c', 'd'],
      ['e', 'f'],
    ]);
  });

  it('handles quoted fields with commas, doubled quotes and line breaks', () => {
    expect(parseCsv('text,category\n"Hello, world",greeting\n"He said ""hi""\nthen left",x\n')).toEqual([
      ['text', 'category'],
      ['Hello, world', 'greeting'],
      ['He said "hi"\nthen left', 'x'],
    ]);
  });

  it('keeps empty fields and skips blank lines', () => {
    expect(parseCsv('a,,c\n\n"",b\n')).toEqual([
      ['a', '', 'c'],
      ['', 'b'],
    ]);
  });

  it('strips a byte order mark and rejects an unterminated quote with a code', () => {
    expect(parseCsv('\uFEFFa,b')).toEqual([['a', 'b']]);
    expect(() => parseCsv('"open,b')).toThrow(expect.objectContaining({ code: 'csv_unterminated_quote' }));
  });

  it('reads labelled rows after the header, trimming labels and skipping rows without one', () => {
    expect(
      parseLabelledCsv('text,category\n"Passwort vergessen, was nun?", password-reset\nlonely\n'),
    ).toEqual([{ text: 'Passwort vergessen, was nun?', label: 'password-reset' }]);
  });
});
