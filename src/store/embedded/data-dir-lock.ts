import fs from 'node:fs';
import path from 'node:path';
import { StoreError } from '../../core/errors.ts';

/** Lock files this process holds, so a stale lock that happens to carry our pid is told apart. */
const heldHere = new Set<string>();

/**
 * Exclusive use of one embedded data directory by one process: two processes appending to one
 * journal would interleave and corrupt it. The lock file holds the owner's pid; a lock left by a
 * dead process is taken over.
 */
export class DataDirLock {
  private constructor(private readonly file: string) {}

  static acquire(dataDir: string): DataDirLock {
    const file = path.resolve(dataDir, 'store.lock');
    for (let attempt = 0; attempt < 3; attempt++) {
      // Written aside, then linked into place: the lock never exists without its pid.
      const draft = `${file}.${process.pid}.${attempt}`;
      fs.writeFileSync(draft, `${process.pid}\n`, { mode: 0o600 });
      try {
        fs.linkSync(draft, file);
        heldHere.add(file);
        return new DataDirLock(file);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      } finally {
        fs.rmSync(draft, { force: true });
      }
      const owner = readOwner(file);
      if (owner !== undefined && isHeld(file, owner)) {
        throw new StoreError(
          'data_dir_locked',
          `The data directory ${dataDir} is in use by another process (pid ${owner}). ` +
            'Several processes cannot share one embedded data directory: give each its own DATA_DIR, ' +
            'or set REDIS_URL so they share one Redis.',
        );
      }
      // Stale: its owner is gone. Remove and try again (another starter may race us; the
      // exclusive create above decides).
      fs.rmSync(file, { force: true });
    }
    throw new StoreError('data_dir_locked', `Could not take the lock ${file}.`);
  }

  release(): void {
    if (!heldHere.delete(this.file)) return;
    fs.rmSync(this.file, { force: true });
  }
}

function readOwner(file: string): number | undefined {
  try {
    const pid = Number.parseInt(fs.readFileSync(file, 'utf8').trim(), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

function isHeld(file: string, pid: number): boolean {
  // Same pid: held only if this process took it (a container restart reuses pid 1).
  if (pid === process.pid) return heldHere.has(file);
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
