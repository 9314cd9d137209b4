#!/usr/bin/env node
// Runs the CLI compiled ahead (compile-ahead.js), so `npx support-bot` and `npm start` need no
// build step of their own; if the bundler is not available, the TypeScript sources through tsx.
import { compiledCli } from './compile-ahead.js';

let cli;
try {
  cli = await compiledCli();
} catch (error) {
  process.stderr.write(
    `support-bot: running the sources through tsx (${error instanceof Error ? error.message : error})\n`,
  );
}
if (cli) {
  await import(cli);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/cli.ts');
}
