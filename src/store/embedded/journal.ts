import fs from 'node:fs';
import path from 'node:path';
import { StoreError } from '../../core/errors.ts';
import { DataDirLock } from './data-dir-lock.ts';
import type { EmbeddedState } from './embedded-state.ts';
import { encodeMutation, type Mutation } from './mutation.ts';
import {
  type DamagedLine,
  describeDamage,
  FILE_MODE,
  journalName,
  listJournals,
  readSnapshot,
  readTicketCounter,
  refuseDamage,
  replayJournal,
  writeAll,
  writeSnapshot,
  writeTicketCounter,
} from './store-files.ts';

export interface JournalOptions {
  now: () => number;
  warn: (message: string) => void;
  /** Compact once the journal is this big (or twice the last snapshot, whichever is larger). */
  compactAfterBytes?: number | undefined;
}

/**
 * Durability of the embedded store: every mutation is appended to a journal with a plain write()
 * before the call returns, so a crash of the process loses nothing (the kernel has the bytes).
 * There is no fsync per write: that would cost milliseconds per turn, and the trade-off is that
 * a power loss or kernel crash may lose the last seconds. Snapshots (the compacted state) are
 * written safely: temp file, fsync, rename, fsync of the directory.
 *
 * Files (see store-files.ts): the snapshot and the journals of its generation and later, replayed
 * in order at start-up. As with Redis's AOF, a torn last line (a crash while writing it) is dropped
 * with a warning; damage anywhere else stops start-up with the file, the line and the repair
 * command, because starting would compact the damage in and delete the original.
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
    this.fd = fs.openSync(path.join(dir, journalName(gen)), 'a', FILE_MODE);
    this.bytes = fs.fstatSync(this.fd).size;
  }

  /** Takes the directory's lock, replays what is there into `state` and opens a journal. */
  static open(dataDir: string, state: EmbeddedState, options: JournalOptions): Journal {
    const dir = path.resolve(dataDir);
    fs.mkdirSync(dir, { recursive: true });
    const lock = DataDirLock.acquire(dir);
    try {
      const { snapshotGen, journals, replayed, damage } = loadDataDir(dir, state);
      refuseDamage(damage);
      for (const torn of damage) {
        options.warn(`skipped a torn last line, left by a crash while writing: ${describeDamage(torn)}`);
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

  /** Records a ticket number before it is handed out (see writeTicketCounter). */
  noteTicketNumber(n: number): void {
    writeTicketCounter(this.dir, n);
  }

  append(m: Mutation): void {
    if (this.closed) throw new StoreError('store_closed', 'The store is closed.');
    const data = Buffer.from(encodeMutation(m), 'utf8');
    writeAll(this.fd, data);
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
    const newFd = fs.openSync(path.join(this.dir, journalName(newGen)), 'a', FILE_MODE);
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

/**
 * Replays the snapshot and its journals into `state`, leniently: what can be read is applied and
 * the damage is returned (start-up refuses it, repair-data drops it). The ticket counter is raised
 * to the highest number ever issued, so lost journal lines never make an id be given out again.
 */
export function loadDataDir(
  dir: string,
  state: EmbeddedState,
): { snapshotGen: number; journals: number[]; replayed: number; damage: DamagedLine[] } {
  const snapshot = readSnapshot(dir, state);
  const journals = listJournals(dir).filter((gen) => gen >= snapshot.gen);
  const damage = [...snapshot.damage];
  let replayed = 0;
  journals.forEach((gen, i) => {
    const result = replayJournal(path.join(dir, journalName(gen)), state, i === journals.length - 1);
    replayed += result.applied;
    damage.push(...result.damage);
  });
  const counter = readTicketCounter(dir);
  if (counter > state.ticketSeq) state.apply({ t: 'ticket.seq', n: counter });
  return { snapshotGen: snapshot.gen, journals, replayed, damage };
}
