import { parseConfig } from '../config/config.ts';
import { SupportBotError } from '../core/errors.ts';
import { describeDamage } from './embedded/store-files.ts';
import { repairDataDir } from './repair-data.ts';

interface RepairIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  env: Record<string, string | undefined>;
}

const USAGE = `usage: support-bot repair-data [--data-dir DIR]
  rebuilds the embedded store in DATA_DIR (default ./data) from what can be read: copies the
  original files aside first, drops damaged lines and lists each one, and keeps the ticket counter
  above every ticket number ever issued. Stop the bot first.
`;

/** `support-bot repair-data`: see repairDataDir. */
export async function runRepairData(args: string[], io: RepairIo): Promise<number> {
  if (args.includes('--help')) {
    io.stdout.write(USAGE);
    return 0;
  }
  const at = args.indexOf('--data-dir');
  const dataDir = at >= 0 ? args[at + 1] : parseConfig(io.env).DATA_DIR;
  if (!dataDir) {
    io.stderr.write(`--data-dir needs a directory\n${USAGE}`);
    return 2;
  }
  try {
    const report = repairDataDir(dataDir);
    io.stdout.write(
      `Original files copied to ${report.backupDir}: ${report.backedUp.join(', ') || 'none'}\n`,
    );
    io.stdout.write(`Kept ${report.kept} journal changes and the snapshot's readable state.\n`);
    if (report.dropped.length === 0) io.stdout.write('Dropped nothing: no damage found.\n');
    else {
      io.stdout.write(`Dropped ${report.dropped.length} damaged line(s):\n`);
      for (const d of report.dropped) io.stdout.write(`  ${describeDamage(d)}\n`);
    }
    const { before, after } = report.ticketCounter;
    io.stdout.write(
      `Ticket counter: ${after}${after > before ? ` (raised from ${before}: a damaged line named a higher ticket)` : ''}; the next ticket gets a higher number.\nThe bot can start again.\n`,
    );
    return 0;
  } catch (error) {
    if (error instanceof SupportBotError) {
      io.stderr.write(`${error.message}\n`);
      return 1;
    }
    throw error;
  }
}
