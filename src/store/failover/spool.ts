import fs from 'node:fs';
import path from 'node:path';
import { StoreError, type SupportBotError } from '../../core/errors.ts';
import { DataDirLock } from '../embedded/data-dir-lock.ts';
import {
  type DamagedLine,
  describeDamage,
  FILE_MODE,
  lineDamage,
  readLines,
  refuseDamage,
  writeAll,
} from '../embedded/store-files.ts';

/** One write that could not reach Redis: the store port, the method and its arguments. */
export interface SpooledWrite {
  port: string;
  method: string;
  args: unknown[];
}

export const SPOOL_FILE = 'spool.jsonl';
export const SPOOL_SLOT = /^spool-\d+$/;
const RESERVE_FILE = 'ticket-ids.json';
const MAX_SLOTS = 16;

/**
 * Writes accepted while Redis was away, kept in order in a local file (appended before the call
 * returns, like the embedded journal: survives a process crash) until they are written to Redis.
 * Also keeps a few ticket numbers reserved from Redis, so hand-offs get real ids meanwhile.
 *
 * Each process takes its own spool slot (`<dataDir>/spool-<n>`, locked by pid); a restarted
 * process takes a free slot, and with it what a crashed one left, and writes that too.
 */
export class Spool {
  private writes: SpooledWrite[] = [];
  /** How many of `writes` reached Redis already. */
  private drained = 0;
  private fd: number | undefined;
  private reservedIds: string[] = [];

  private constructor(
    private readonly dir: string | undefined,
    private readonly lock: DataDirLock | undefined,
    private readonly warn: (message: string) => void,
  ) {}

  /** Without dataDir the spool lives in memory only. */
  static open(dataDir: string | undefined, warn: (message: string) => void): Spool {
    if (!dataDir) return new Spool(undefined, undefined, warn);
    for (let slot = 1; slot <= MAX_SLOTS; slot++) {
      const dir = path.resolve(dataDir, `spool-${slot}`);
      fs.mkdirSync(dir, { recursive: true });
      let lock: DataDirLock;
      try {
        lock = DataDirLock.acquire(dir);
      } catch (error) {
        if ((error as SupportBotError).code === 'data_dir_locked') continue;
        throw error;
      }
      const spool = new Spool(dir, lock, warn);
      try {
        spool.load();
      } catch (error) {
        lock.release();
        throw error;
      }
      return spool;
    }
    throw new StoreError('spool_unavailable', `All ${MAX_SLOTS} spool slots in ${dataDir} are in use.`);
  }

  get size(): number {
    return this.writes.length - this.drained;
  }

  /** Writes not yet in Redis, oldest first. */
  pending(): readonly SpooledWrite[] {
    return this.writes.slice(this.drained);
  }

  add(write: SpooledWrite): void {
    this.append({ w: write });
    this.writes.push(write);
  }

  /** The oldest pending write reached Redis. */
  markDrained(): void {
    if (this.size === 0) return;
    this.drained++;
    if (this.size === 0) {
      this.writes = [];
      this.drained = 0;
      if (this.fd !== undefined) fs.ftruncateSync(this.fd, 0);
    } else {
      this.append({ d: 1 });
    }
  }

  takeReservedId(): string | undefined {
    const id = this.reservedIds.shift();
    if (id !== undefined) this.saveReserve();
    return id;
  }

  get reservedCount(): number {
    return this.reservedIds.length;
  }

  addReservedIds(ids: string[]): void {
    this.reservedIds.push(...ids);
    this.saveReserve();
  }

  close(): void {
    if (this.fd !== undefined) fs.closeSync(this.fd);
    this.fd = undefined;
    this.lock?.release();
  }

  private append(line: unknown): void {
    if (!this.dir) return;
    this.fd ??= fs.openSync(path.join(this.dir, SPOOL_FILE), 'a', FILE_MODE);
    writeAll(this.fd, Buffer.from(`${JSON.stringify(line)}\n`, 'utf8'));
  }

  private load(): void {
    if (!this.dir) return;
    const file = path.join(this.dir, SPOOL_FILE);
    if (fs.existsSync(file)) {
      const damage = readSpoolFile(file, (entry) => {
        if ('w' in entry) this.writes.push(entry.w);
        else this.drained += entry.d;
      });
      // As with the journal: a torn last line is dropped, damage elsewhere stops start-up.
      refuseDamage(damage);
      for (const torn of damage) this.warn(`skipped a torn last line: ${describeDamage(torn)}`);
      if (this.size > 0) this.warn(`${file}: ${this.size} write(s) from before a restart wait for Redis`);
    }
    const reserve = path.join(this.dir, RESERVE_FILE);
    if (fs.existsSync(reserve)) {
      try {
        this.reservedIds = JSON.parse(fs.readFileSync(reserve, 'utf8')) as string[];
      } catch (error) {
        // Losing reserved numbers only leaves gaps in the numbering.
        this.warn(`${reserve}: unreadable, reserved ticket numbers dropped (${String(error)})`);
      }
    }
  }

  private saveReserve(): void {
    if (!this.dir) return;
    const file = path.join(this.dir, RESERVE_FILE);
    fs.writeFileSync(`${file}.tmp`, JSON.stringify(this.reservedIds), { mode: FILE_MODE });
    fs.renameSync(`${file}.tmp`, file);
  }
}

type SpoolEntry = { w: SpooledWrite } | { d: number };

function parseSpoolLine(line: string): SpoolEntry | undefined {
  try {
    const parsed = JSON.parse(line) as { w?: SpooledWrite; d?: number };
    if (parsed.w && typeof parsed.w.port === 'string' && typeof parsed.w.method === 'string')
      return { w: parsed.w };
    if (typeof parsed.d === 'number') return { d: parsed.d };
  } catch {
    // Reported as damage by the caller.
  }
  return undefined;
}

/** Reads a spool file: each readable entry to `take`, the unreadable lines returned. */
export function readSpoolFile(file: string, take: (entry: SpoolEntry) => void): DamagedLine[] {
  const damage: DamagedLine[] = [];
  let lineNo = 0;
  for (const { line, terminated } of readLines(file)) {
    lineNo++;
    if (terminated && line === '') continue;
    const entry = parseSpoolLine(line);
    if (entry) take(entry);
    else damage.push(lineDamage(file, lineNo, line, !terminated));
  }
  return damage;
}
