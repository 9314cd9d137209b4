import fs from 'node:fs';
import path from 'node:path';
import { DataDirLock } from './embedded/data-dir-lock.ts';
import { EmbeddedState } from './embedded/embedded-state.ts';
import { loadDataDir } from './embedded/journal.ts';
import {
  type DamagedLine,
  journalName,
  listJournals,
  SNAPSHOT,
  TICKET_COUNTER,
  writeAll,
  writeFileAtomically,
  writeSnapshot,
  writeTicketCounter,
} from './embedded/store-files.ts';
import { readSpoolFile, SPOOL_FILE, SPOOL_SLOT } from './failover/spool.ts';
import { storeDefaults } from './store-options.ts';

export interface RepairReport {
  /** Where the original files were copied before anything was changed. */
  backupDir: string;
  /** The files copied there. */
  backedUp: string[];
  /** Every line that could not be read and is no longer in the data. */
  dropped: DamagedLine[];
  /** Changes replayed from the intact lines. */
  kept: number;
  /** Highest ticket number ever issued, before and after: the next ticket gets a higher one. */
  ticketCounter: { before: number; after: number };
}

/**
 * `support-bot repair-data`: rebuilds an embedded data directory from what can be read. The bot
 * must be stopped (the directory's lock decides). The original files are copied into
 * `<dataDir>/repair-<time>/` first; the damaged lines are dropped and reported; the ticket counter
 * is kept at or above every ticket number ever issued (the counter file, the intact lines and any
 * number a damaged line still shows), so no ticket id is ever given out twice.
 */
export function repairDataDir(dataDir: string, now: number = Date.now()): RepairReport {
  const dir = path.resolve(dataDir);
  const lock = DataDirLock.acquire(dir);
  try {
    const files = storeFiles(dir);
    const backupDir = path.join(dir, `repair-${new Date(now).toISOString().replace(/[:.]/g, '-')}`);
    fs.mkdirSync(backupDir, { mode: 0o700 });
    for (const name of files) fs.copyFileSync(path.join(dir, name), path.join(backupDir, name));

    const state = new EmbeddedState(storeDefaults.listCap);
    const { snapshotGen, journals, replayed, damage } = loadDataDir(dir, state);
    // With Redis, DATA_DIR holds the spools of writes made while Redis was away.
    for (const slot of spoolSlots(dir)) {
      damage.push(...repairSpool(path.join(dir, slot), path.join(backupDir, slot)));
    }
    const before = state.ticketSeq;
    const highest = Math.max(before, ...damage.map((d) => d.ticketNumber));
    if (highest > state.ticketSeq) state.apply({ t: 'ticket.seq', n: highest });

    const gen = Math.max(snapshotGen, ...journals, 0) + 1;
    writeSnapshot(dir, gen, state.snapshot(now));
    writeTicketCounter(dir, state.ticketSeq);
    for (const old of listJournals(dir)) fs.rmSync(path.join(dir, journalName(old)), { force: true });
    return {
      backupDir,
      backedUp: files,
      dropped: damage,
      kept: replayed,
      ticketCounter: { before, after: state.ticketSeq },
    };
  } finally {
    lock.release();
  }
}

function spoolSlots(dir: string): string[] {
  return fs
    .readdirSync(dir)
    .filter((name) => SPOOL_SLOT.test(name) && fs.existsSync(path.join(dir, name, SPOOL_FILE)));
}

/** Copies a spool aside, then keeps its readable lines only. The slot's lock keeps a running bot out. */
function repairSpool(slotDir: string, backupDir: string): DamagedLine[] {
  const lock = DataDirLock.acquire(slotDir);
  try {
    const file = path.join(slotDir, SPOOL_FILE);
    fs.mkdirSync(backupDir, { mode: 0o700 });
    fs.copyFileSync(file, path.join(backupDir, SPOOL_FILE));
    const kept: string[] = [];
    const damage = readSpoolFile(file, (entry) => kept.push(`${JSON.stringify(entry)}\n`));
    if (damage.length > 0)
      writeFileAtomically(file, (fd) => writeAll(fd, Buffer.from(kept.join(''), 'utf8')));
    return damage;
  } finally {
    lock.release();
  }
}

function storeFiles(dir: string): string[] {
  const names = [SNAPSHOT, TICKET_COUNTER, ...listJournals(dir).map(journalName)];
  return names.filter((name) => fs.existsSync(path.join(dir, name)));
}
