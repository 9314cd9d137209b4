import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Spool } from '../../../src/store/failover/spool.ts';
import { repairDataDir } from '../../../src/store/repair-data.ts';

const write = (n: number) =>
  JSON.stringify({ w: { port: 'counters', method: 'increment', args: ['turns', '2026-12-06', n] } });

function dataDirWithSpool(lines: string): string {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sb-spool-'));
  fs.mkdirSync(path.join(dataDir, 'spool-1'));
  fs.writeFileSync(path.join(dataDir, 'spool-1', 'spool.jsonl'), lines);
  return dataDir;
}

describe('the spool of writes made while Redis was away', () => {
  it('drops a torn last line with a warning and keeps the rest', () => {
    const dataDir = dataDirWithSpool(`${write(1)}\n${write(2)}\n{"w":{"port":"coun`);
    const warnings: string[] = [];
    const spool = Spool.open(dataDir, (m) => warnings.push(m));
    try {
      expect(spool.pending().map((w) => w.args[2])).toEqual([1, 2]);
      expect(warnings.join('\n')).toMatch(/torn last line: \S+spool\.jsonl: line 3/);
    } finally {
      spool.close();
    }
  });

  it('refuses damage in the middle; repair-data keeps the readable writes and reports the dropped one', () => {
    const dataDir = dataDirWithSpool(`${write(1)}\nnot json at all\n${write(3)}\n`);
    expect(() => Spool.open(dataDir, () => {})).toThrow(
      expect.objectContaining({
        code: 'store_damaged',
        message: expect.stringContaining('spool.jsonl: line 2 (15 bytes) not json at all'),
      }),
    );
    const report = repairDataDir(dataDir);
    expect(report.dropped.map((d) => [path.relative(dataDir, d.file), d.line])).toEqual([
      [path.join('spool-1', 'spool.jsonl'), 2],
    ]);
    expect(fs.readFileSync(path.join(report.backupDir, 'spool-1', 'spool.jsonl'), 'utf8')).toContain(
      'not json',
    );
    const spool = Spool.open(dataDir, () => {});
    try {
      expect(spool.pending().map((w) => w.args[2])).toEqual([1, 3]);
    } finally {
      spool.close();
    }
  });
});
