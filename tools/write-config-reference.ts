import { writeFileSync } from 'node:fs';
import { renderConfigurationMarkdown, renderEnvExample } from './config-reference.ts';

// `npm run docs:config`: regenerates the configuration reference and the .env example.
writeFileSync(new URL('../docs/configuration.md', import.meta.url), renderConfigurationMarkdown());
writeFileSync(new URL('../.env.example', import.meta.url), renderEnvExample());
process.stdout.write('wrote docs/configuration.md and .env.example\n');
