/**
 * `support-bot` command: a small dispatcher; each sub-command lives next to what it drives
 * and is imported lazily, so `--help` stays instant.
 */
const HELP = `support-bot <command> [options]

Commands:
  start                      run the bot (web chat + admin console on http://localhost:3000)
  ask "<question>"           print the best FAQ answer with its score and the runner-up candidates
  chat [--json]              talk to the bot in the terminal (one line in, replies out)
  check                      validate knowledge/, intents/, config/support.yaml and config/customers.yaml; list every problem
  doctor [--json]            pre-flight check of a deployment: store, Slack, Teams, public URL
  repair-data [--data-dir D] rebuild a damaged embedded store, keeping a copy of the originals
  import FILE|FOLDER [--format qnamaker|csv|json|markdown] [--language de|en] [--dry-run]
                             bring an FAQ (QnA Maker TSV export, CSV, JSON, Markdown) into KNOWLEDGE_DIR
  export --format qnamaker|csv|json|markdown [--out FILE|FOLDER]
                             the FAQ of KNOWLEDGE_DIR in another format
  user add NAME --role agent|curator|admin [--slack MEMBERID] | user list | user remove NAME
                             named console accounts with a personal token each
  customer export ID         everything held about one customer, as JSON (DSGVO Art. 15)
  incident list | declare --kind incident|maintenance --service S --de T --en T [--start ISO] [--end ISO]
           | update ID --de T --en T [--end ISO] | end ID
                             maintenance windows and incidents, told to customers who ask
  customer delete ID         erase everything held about one customer (DSGVO Art. 17), audited
  report sla --month YYYY-MM [--org ID] [--format json|csv|md]
                             the monthly SLA report per organisation and priority
  build-index                train the matcher index into DATA_DIR, so the next start need not
  eval [--train T.csv --test S.csv --val V.csv --shots N --json]
                             measure the matcher (default: the project's own labelled set)
  package-teams --app-id <guid> [--icons]
                             write appPackage/build/support-bot-teams.zip for upload to Teams
                             (the id may come from MICROSOFT_APP_ID instead)

Run "support-bot <command> --help" for a command's options.`;

type CommandRunner = (args: string[]) => Promise<number>;

// The environment is read here (and in main.ts) only; sub-commands get it passed in.
const io = { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, env: process.env };

const commands: Record<string, CommandRunner> = {
  start: async () => {
    await import('./main.ts');
    return -1; // keeps running; main.ts owns the process from here
  },
  ask: async (args) => (await import('./understanding/ask-command.ts')).runAsk(args, io),
  chat: async (args) => (await import('./channels/cli/chat-command.ts')).runChat(args, io),
  check: async (args) => (await import('./check-command.ts')).runCheck(args, io),
  'repair-data': async (args) => (await import('./store/repair-command.ts')).runRepairData(args, io),
  import: async (args) => (await import('./admin/faq-transfer-command.ts')).runImport(args, io),
  export: async (args) => (await import('./admin/faq-transfer-command.ts')).runExport(args, io),
  user: async (args) => (await import('./admin/accounts/user-command.ts')).runUser(args, io),
  customer: async (args) => (await import('./admin/customer-command.ts')).runCustomer(args, io),
  incident: async (args) => (await import('./admin/incident-command.ts')).runIncident(args, io),
  report: async (args) => (await import('./admin/reports/report-command.ts')).runReport(args, io),
  doctor: async (args) => (await import('./doctor/doctor-command.ts')).runDoctorCommand(args, io),
  'build-index': async (args) => (await import('./build-index-command.ts')).runBuildIndex(args, io),
  eval: async (args) => (await import('./understanding/eval/main.ts')).runEvalCommand(args, io.stdout),
  'package-teams': async (args) =>
    (await import('./channels/teams/package-teams-app.ts')).runPackageTeams(args, io),
};

async function runCli(argv: string[]): Promise<void> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(`${HELP}\n`);
    return;
  }
  const command = commands[name];
  if (!command) {
    process.stderr.write(`Unknown command "${name}".\n\n${HELP}\n`);
    process.exitCode = 2;
    return;
  }
  try {
    const code = await command(rest);
    if (code >= 0) process.exitCode = code;
  } catch (error) {
    // A command that throws (a missing input file, say) gets one line, not a stack trace.
    process.stderr.write(`${name} failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  }
}

await runCli(process.argv.slice(2));
