import fs from 'node:fs';
import path from 'node:path';
import { SupportBotError } from '../../core/errors.ts';
import { DataDirLock } from './data-dir-lock.ts';
import type { EmbeddedState } from './embedded-state.ts';
import { decodeMutation, encodeMutation, type Mutation } from './mutation.ts';

export interface JournalOptions {
  now: () => number;
  warn: (message: string) => void;
  /** Compact once the journal is this big (or twice the last snapshot, whichever is larger). */
  compactAfterBytes?: number | undefined;
}

const SNAPSHOT = 'snapshot.jsonl';
const SNAPSHOT_FORMAT = 1;
const JOURNAL_NAME = /^journal-(\d+)\.jsonl$/;
const journalName = (gen: number): string => `journal-${gen}.jsonl`;

/**
 * Durability of the embedded store: every mutation is appended to a journal with a plain write()
 * before the call returns, so a crash of the process loses nothing (the kernel has the bytes).
 * There is no fsync per write: that would cost milliseconds per turn, and the trade-off is that
 * a power loss or kernel crash may lose the last seconds. Snapshots (the compacted state) are
 * written safely: temp file, fsync, rename, fsync of the directory.
 *
 * Files: `snapshot.jsonl` (header with generation G, the state as mutations, end marker) and
 * `journal-<gen>.jsonl` for gen >= G. Start-up replays the snapshot and those journals in order.
 */
export class Journal {
  private fd: number;
  private gen: number;
  private snapshotGen: number;
  private bytes = 0;
  private lastSnapshotBytes = 0;
  private compactScheduled = false;
  private closed = false;

  private constructor(
    private readonly dir: string,
    private readonly state: EmbeddedState,
    private readonly lock: DataDirLock,
    private readonly options: JournalOptions,
    gen: number,
    snapshotGen: number,
  ) {
    this.gen = gen;
    this.snapshotGen = snapshotGen;
    this.fd = fs.openSync(path.join(dir, journalName(gen)), 'a');
    this.bytes = fs.fstatSync(this.fd).size;
  }

  /** Takes the directory's lock, replays what is there into `state` and opens a journal. */
  static open(dataDir: string, state: EmbeddedState, options: JournalOptions): Journal {
    const dir = path.resolve(dataDir);
    fs.mkdirSync(dir, { recursive: true });
    const lock = DataDirLock.acquire(dir);
    try {
      const snapshotGen = readSnapshot(dir, state);
      const journals = listJournals(dir);
      let replayed = 0;
      for (const gen of journals) {
        if (gen < snapshotGen) continue;
        replayed += replayJournal(path.join(dir, journalName(gen)), state, options.warn);
      }
      const newest = Math.max(snapshotGen, ...journals, 1);
      const journal = new Journal(dir, state, lock, options, newest, snapshotGen);
      // Start on a fresh journal after anything was replayed, so new lines never follow a torn one.
      if (replayed > 0 || journals.some((gen) => gen < newest)) journal.compact();
      return journal;
    } catch (error) {
      lock.release();
      throw error;
    }
  }

  append(m: Mutation): void {
    if (this.closed) throw new SupportBotError('store_closed', 'The store is closed.');
    const data = Buffer.from(encodeMutation(m), 'utf8');
    let written = 0;
    while (written < data.length) written += fs.writeSync(this.fd, data, written);
    this.bytes += data.length;
    const limit = Math.max(this.options.compactAfterBytes ?? 64 * 1024 * 1024, 2 * this.lastSnapshotBytes);
    if (this.bytes > limit && !this.compactScheduled) {
      this.compactScheduled = true;
      setImmediate(() => {
        this.compactScheduled = false;
        if (this.closed) return;
        try {
          this.compact();
        } catch (error) {
          // The journal keeps everything; the next compaction tries again.
          this.options.warn(`compaction failed, journal kept: ${String(error)}`);
        }
      });
    }
  }

  /** Writes the whole state as a new snapshot and starts an empty journal. */
  compact(): void {
    const newGen = this.gen + 1;
    const newFd = fs.openSync(path.join(this.dir, journalName(newGen)), 'a');
    fs.closeSync(this.fd);
    this.fd = newFd;
    this.gen = newGen;
    this.bytes = 0;
    const now = this.options.now();
    this.state.sweep(now, true);
    this.lastSnapshotBytes = writeSnapshot(this.dir, newGen, this.state.snapshot(now));
    this.snapshotGen = newGen;
    for (const gen of listJournals(this.dir)) {
      if (gen < this.snapshotGen) fs.rmSync(path.join(this.dir, journalName(gen)), { force: true });
    }
  }

  /** Compacts (so the next start is quick), closes the journal and releases the lock. */
  close(): void {
    if (this.closed) return;
    try {
      this.compact();
    } finally {
      this.closed = true;
      fs.closeSync(this.fd);
      this.lock.release();
    }
  }
}

function listJournals(dir: string): number[] {
  const gens: number[] = [];
  for (const name of fs.readdirSync(dir)) {
    const match = JOURNAL_NAME.exec(name);
    if (match?.[1]) gens.push(Number(match[1]));
  }
  return gens.sort((a, b) => a - b);
}

/** Returns the snapshot's generation (0 when there is none). */
function readSnapshot(dir: string, state: EmbeddedState): number {
  const file = path.join(dir, SNAPSHOT);
  if (!fs.existsSync(file)) return 0;
  let gen: number | undefined;
  let complete = false;
  let lineNo = 0;
  for (const { line } of readLines(file)) {
    lineNo++;
    if (lineNo === 1) {
      const header = JSON.parse(line) as { t?: string; format?: number; gen?: number };
      if (header.t !== 'snapshot' || header.format !== SNAPSHOT_FORMAT || typeof header.gen !== 'number') {
        throw new SupportBotError(
          'snapshot_unreadable',
          `${file}: not a snapshot of format ${SNAPSHOT_FORMAT}`,
        );
      }
      gen = header.gen;
      continue;
    }
    if (line.startsWith('{"t":"end"')) {
      complete = true;
      break;
    }
    const m = decodeMutation(line);
    if (!m) throw new SupportBotError('snapshot_unreadable', `${file}: line ${lineNo} is damaged`);
    state.apply(m);
  }
  // Snapshots are renamed into place only when complete, so a missing end marker means the
  // file was damaged afterwards. Starting anyway would compact the damage in: stop instead.
  if (gen === undefined || !complete) {
    throw new SupportBotError(
      'snapshot_unreadable',
      `${file} is incomplete; restore it from a backup or move it away to start empty.`,
    );
  }
  return gen;
}

/** Applies every intact line; returns how many mutations were replayed. */
function replayJournal(file: string, state: EmbeddedState, warn: (message: string) => void): number {
  let count = 0;
  let lineNo = 0;
  for (const { line, terminated } of readLines(file)) {
    lineNo++;
    const m = decodeMutation(line);
    if (m) {
      state.apply(m);
      count++;
    } else if (!terminated) {
      warn(`${file}: skipped a torn last line (${line.length} bytes), left by a crash while writing`);
    } else if (line.trim() !== '') {
      warn(`${file}: skipped damaged line ${lineNo}`);
    }
  }
  return count;
}

function writeSnapshot(dir: string, gen: number, mutations: Iterable<Mutation>): number {
  const file = path.join(dir, SNAPSHOT);
  const temp = `${file}.tmp`;
  const fd = fs.openSync(temp, 'w');
  let total = 0;
  try {
    let chunk: string[] = [`${JSON.stringify({ t: 'snapshot', format: SNAPSHOT_FORMAT, gen })}\n`];
    let chunkChars = 0;
    let records = 0;
    const flush = (): void => {
      const data = Buffer.from(chunk.join(''), 'utf8');
      let written = 0;
      while (written < data.length) written += fs.writeSync(fd, data, written);
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
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(temp, file);
  const dirFd = fs.openSync(dir, 'r');
  try {
    fs.fsyncSync(dirFd);
  } finally {
    fs.closeSync(dirFd);
  }
  return total;
}

/** Lines of a file of any size, read in chunks; `terminated` is false for a last line without newline. */
function* readLines(file: string): Generator<{ line: string; terminated: boolean }> {
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
