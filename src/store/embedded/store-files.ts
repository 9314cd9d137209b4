import fs from 'node:fs';
import path from 'node:path';
import { StoreError } from '../../core/errors.ts';
import { storeDefaults } from '../store-options.ts';
import type { EmbeddedState } from './embedded-state.ts';
import { decodeMutation, encodeMutation, type Mutation } from './mutation.ts';

/**
 * The files of an embedded data directory, and how they are read and written:
 * `snapshot.jsonl` (header with generation G, the state as mutations, end marker),
 * `journal-<gen>.jsonl` for gen >= G, and `ticket-counter` (the highest ticket number ever
 * issued, kept apart so that damage to the journal can never hand out a ticket id twice).
 * Every file is private to the bot (0600).
 */
export const SNAPSHOT = 'snapshot.jsonl';
export const SNAPSHOT_FORMAT = 1;
export const TICKET_COUNTER = 'ticket-counter';
export const FILE_MODE = 0o600;
const JOURNAL_NAME = /^journal-(\d+)\.jsonl$/;
export const journalName = (gen: number): string => `journal-${gen}.jsonl`;

export const REPAIR_HINT =
  'Stop the bot and run `npx support-bot repair-data` (it keeps a copy of the original files in the data directory and reports what it drops), or restore the directory from a backup.';

/** A line that could not be read back. */
export interface DamagedLine {
  file: string;
  /** 1-based. */
  line: number;
  bytes: number;
  /** The start of the line, for the report. */
  excerpt: string;
  /** A torn last line: a crash while writing it (the Redis AOF model drops it with a warning). */
  tornTail: boolean;
  /** The highest ticket number the line mentions (0 for none): repair keeps the counter above it. */
  ticketNumber: number;
}

const TICKET_NUMBER = new RegExp(`${storeDefaults.ticketPrefix}(\\d+)|"t":"ticket\\.seq","n":(\\d+)`, 'g');

function highestTicketNumber(text: string): number {
  let highest = 0;
  for (const match of text.matchAll(TICKET_NUMBER)) highest = Math.max(highest, Number(match[1] ?? match[2]));
  return highest;
}

export function listJournals(dir: string): number[] {
  const gens: number[] = [];
  for (const name of fs.readdirSync(dir)) {
    const match = JOURNAL_NAME.exec(name);
    if (match?.[1]) gens.push(Number(match[1]));
  }
  return gens.sort((a, b) => a - b);
}

const excerptOf = (line: string): string => (line.length > 80 ? `${line.slice(0, 80)}…` : line);

/**
 * Reads the snapshot into `state`. Returns its generation (0 when there is none) and the damage
 * found: a damaged line, a bad header or a missing end marker (a snapshot is renamed into place
 * only when complete, so that is damage after the fact).
 */
export function readSnapshot(dir: string, state: EmbeddedState): { gen: number; damage: DamagedLine[] } {
  const file = path.join(dir, SNAPSHOT);
  if (!fs.existsSync(file)) return { gen: 0, damage: [] };
  const damage: DamagedLine[] = [];
  let gen: number | undefined;
  let complete = false;
  let lineNo = 0;
  for (const { line } of readLines(file)) {
    lineNo++;
    if (lineNo === 1) {
      const header = parseHeader(line);
      if (header === undefined) damage.push(lineDamage(file, lineNo, line, false));
      gen = header;
      continue;
    }
    if (line.startsWith('{"t":"end"')) {
      complete = true;
      break;
    }
    const m = decodeMutation(line);
    if (m) state.apply(m);
    else damage.push(lineDamage(file, lineNo, line, false));
  }
  if (!complete) {
    damage.push({
      file,
      line: lineNo + 1,
      bytes: 0,
      excerpt: '(end marker missing)',
      tornTail: false,
      ticketNumber: 0,
    });
  }
  return { gen: gen ?? 0, damage };
}

function parseHeader(line: string): number | undefined {
  try {
    const header = JSON.parse(line) as { t?: string; format?: number; gen?: number };
    return header.t === 'snapshot' && header.format === SNAPSHOT_FORMAT && typeof header.gen === 'number'
      ? header.gen
      : undefined;
  } catch {
    return undefined;
  }
}

export const lineDamage = (file: string, line: number, text: string, tornTail: boolean): DamagedLine => ({
  file,
  line,
  bytes: Buffer.byteLength(text),
  excerpt: excerptOf(text),
  tornTail,
  ticketNumber: highestTicketNumber(text),
});

/**
 * Applies every intact line of one journal; returns how many were applied and the damage. Only
 * the last line of the newest journal can be torn (that is where a crash while writing leaves
 * it); an unterminated line anywhere else, or an unreadable terminated line, is damage.
 */
export function replayJournal(
  file: string,
  state: EmbeddedState,
  newest: boolean,
): { applied: number; damage: DamagedLine[] } {
  let applied = 0;
  let lineNo = 0;
  const damage: DamagedLine[] = [];
  for (const { line, terminated } of readLines(file)) {
    lineNo++;
    const m = decodeMutation(line);
    if (m) {
      state.apply(m);
      applied++;
    } else if (terminated && line.trim() === '') {
      // An empty line carries nothing.
    } else {
      damage.push(lineDamage(file, lineNo, line, !terminated && newest));
    }
  }
  return { applied, damage };
}

export function describeDamage(d: DamagedLine): string {
  return `${d.file}: line ${d.line}${d.bytes > 0 ? ` (${d.bytes} bytes)` : ''} ${d.excerpt}`;
}

/** Start-up refuses damage other than a torn last line: starting would compact it away for good. */
export function refuseDamage(damage: DamagedLine[]): void {
  const serious = damage.filter((d) => !d.tornTail);
  if (serious.length === 0) return;
  throw new StoreError(
    'store_damaged',
    `The data directory is damaged; the bot does not start, so nothing more is lost:\n${serious
      .map((d) => `  ${describeDamage(d)}`)
      .join('\n')}\n${REPAIR_HINT}`,
  );
}

/** Writes `content` so that a crash leaves the old file or the new one: temp, fsync, rename, fsync dir. */
export function writeFileAtomically(file: string, write: (fd: number) => void): void {
  const temp = `${file}.tmp`;
  const fd = fs.openSync(temp, 'w', FILE_MODE);
  try {
    write(fd);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(temp, file);
  syncDirectory(path.dirname(file));
}

export function syncDirectory(dir: string): void {
  const dirFd = fs.openSync(dir, 'r');
  try {
    fs.fsyncSync(dirFd);
  } finally {
    fs.closeSync(dirFd);
  }
}

export function writeAll(fd: number, data: Buffer): void {
  let written = 0;
  while (written < data.length) written += fs.writeSync(fd, data, written);
}

/** Writes the state as a new snapshot of generation `gen`; returns its size in bytes. */
export function writeSnapshot(dir: string, gen: number, mutations: Iterable<Mutation>): number {
  let total = 0;
  writeFileAtomically(path.join(dir, SNAPSHOT), (fd) => {
    let chunk: string[] = [`${JSON.stringify({ t: 'snapshot', format: SNAPSHOT_FORMAT, gen })}\n`];
    let chunkChars = 0;
    let records = 0;
    const flush = (): void => {
      const data = Buffer.from(chunk.join(''), 'utf8');
      writeAll(fd, data);
      total += data.length;
      chunk = [];
      chunkChars = 0;
    };
    for (const m of mutations) {
      const line = encodeMutation(m);
      chunk.push(line);
      chunkChars += line.length;
      records++;
      if (chunkChars > 1024 * 1024) flush();
    }
    chunk.push(`${JSON.stringify({ t: 'end', records })}\n`);
    flush();
  });
  return total;
}

/** The highest ticket number ever issued from this directory, or 0. */
export function readTicketCounter(dir: string): number {
  try {
    const n = Number.parseInt(fs.readFileSync(path.join(dir, TICKET_COUNTER), 'utf8').trim(), 10);
    return Number.isInteger(n) && n > 0 ? n : 0;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw error;
  }
}

/**
 * Records a ticket number before it is handed out. Written aside and renamed into place (the old
 * or the new number, never half of one); like the journal it is not fsynced per ticket: a
 * process crash keeps it, a power loss may lose the last second.
 */
export function writeTicketCounter(dir: string, n: number): void {
  const file = path.join(dir, TICKET_COUNTER);
  const temp = `${file}.tmp`;
  fs.writeFileSync(temp, `${n}\n`, { mode: FILE_MODE });
  fs.renameSync(temp, file);
}

/** Lines of a file of any size, read in chunks; `terminated` is false for a last line without newline. */
export function* readLines(file: string): Generator<{ line: string; terminated: boolean }> {
  const fd = fs.openSync(file, 'r');
  try {
    const buffer = Buffer.alloc(1024 * 1024);
    let rest: Buffer = Buffer.alloc(0);
    for (;;) {
      const read = fs.readSync(fd, buffer, 0, buffer.length, null);
      if (read === 0) break;
      let data = rest.length > 0 ? Buffer.concat([rest, buffer.subarray(0, read)]) : buffer.subarray(0, read);
      let start = 0;
      for (let nl = data.indexOf(10, start); nl !== -1; nl = data.indexOf(10, start)) {
        yield { line: data.toString('utf8', start, nl), terminated: true };
        start = nl + 1;
      }
      data = data.subarray(start);
      // Copy: `buffer` is reused by the next read.
      rest = Buffer.from(data);
    }
    if (rest.length > 0) yield { line: rest.toString('utf8'), terminated: false };
  } finally {
    fs.closeSync(fd);
  }
}
