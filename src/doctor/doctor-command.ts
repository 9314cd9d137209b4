import { DEFAULT_NETWORK_TIMEOUT_MS, type Finding } from './finding.ts';
import { runDoctor } from './run-doctor.ts';

interface DoctorIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  env: Record<string, string | undefined>;
}

const USAGE = `usage: support-bot doctor [--json] [--timeout SECONDS]
  checks a deployment's settings: configuration, knowledge, store (Redis: AOF, no eviction),
  Slack (token, scopes, request URL), Teams (credentials, messaging endpoint), PUBLIC_URL.
  Exit code 1 when any part has a problem.
`;

function summary(findings: Finding[]): string {
  const count = (status: Finding['status']) => findings.filter((f) => f.status === status).length;
  const problems = count('problem');
  const warnings = count('warning');
  if (problems === 0 && warnings === 0) return 'all checks passed';
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  return `${plural(problems, 'problem')}, ${plural(warnings, 'warning')}`;
}

/** `support-bot doctor`: the pre-flight check, one line per finding. */
export async function runDoctorCommand(args: string[], io: DoctorIo): Promise<number> {
  if (args.includes('--help')) {
    io.stdout.write(USAGE);
    return 0;
  }
  const at = args.indexOf('--timeout');
  const seconds = at >= 0 ? Number(args[at + 1]) : DEFAULT_NETWORK_TIMEOUT_MS / 1000;
  if (!Number.isFinite(seconds) || seconds <= 0) {
    io.stderr.write(`--timeout needs a number of seconds\n${USAGE}`);
    return 2;
  }
  const findings = await runDoctor(io.env, seconds * 1000);
  if (args.includes('--json')) {
    io.stdout.write(`${JSON.stringify(findings, null, 2)}\n`);
  } else {
    const width = Math.max(...findings.map((f) => f.part.length));
    for (const f of findings) io.stdout.write(`${f.status.padEnd(8)} ${f.part.padEnd(width)}  ${f.detail}\n`);
    io.stdout.write(`${summary(findings)}\n`);
  }
  return findings.some((f) => f.status === 'problem') ? 1 : 0;
}
