// The CLI and the server compiled ahead into one ES module bundle (dist/), so a start loads plain
// JavaScript instead of transforming the TypeScript of src/ through tsx's loader, which took a
// third of a one-shot command's time. The bundle is named by a hash of the TypeScript under src/
// (a few milliseconds to read), so it is made again whenever a source changed; `npm test` runs
// src/ itself.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const sourceDir = join(root, 'src');
const distDir = join(root, 'dist');
/** Bundles kept besides the current one: a process started from an older one may still load from it. */
const KEEP_OLDER = 2;

/** The TypeScript files under `dir` (what the bundle is made of), as paths relative to the project root, sorted. */
function sourcesUnder(dir) {
  const found = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...sourcesUnder(path));
    else if (entry.name.endsWith('.ts')) found.push(relative(root, path));
  }
  return found.sort();
}

/** Names the bundle of the sources as they are now (and of this script and the bundler). */
function bundleName() {
  const hash = createHash('sha256');
  hash.update(readFileSync(fileURLToPath(import.meta.url)));
  hash.update(JSON.parse(readFileSync(join(root, 'node_modules/esbuild/package.json'), 'utf8')).version);
  for (const file of sourcesUnder(sourceDir)) hash.update(`${file}\0`).update(readFileSync(join(root, file)));
  return hash.digest('hex').slice(0, 16);
}

/**
 * The bundle keeps each source file's own `import.meta.url`: the web pages and the word vectors
 * are found beside the source files, and the bundle lies elsewhere.
 */
function sourceMetaUrl(outdir) {
  return {
    name: 'source-import-meta-url',
    setup(build) {
      build.onLoad({ filter: /\.ts$/ }, (args) => {
        const text = readFileSync(args.path, 'utf8');
        if (!text.includes('import.meta.url')) return { contents: text, loader: 'ts' };
        const fromBundle = relative(outdir, args.path).split(sep).join('/');
        return {
          contents: text.replaceAll(
            'import.meta.url',
            `new URL(${JSON.stringify(fromBundle)}, import.meta.url).href`,
          ),
          loader: 'ts',
        };
      });
    },
  };
}

async function bundle(outdir) {
  const { build } = await import('esbuild');
  // Built aside and renamed into place: a process starting meanwhile never sees half a bundle.
  const partial = `${outdir}.partial-${process.pid}`;
  try {
    await build({
      entryPoints: { cli: join(sourceDir, 'cli.ts') },
      bundle: true,
      splitting: true,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      packages: 'external',
      outdir: partial,
      sourcemap: true,
      logLevel: 'error',
      plugins: [sourceMetaUrl(outdir)],
    });
    renameSync(partial, outdir);
  } catch (error) {
    // Another process put the same bundle in place first: use that one.
    if (!existsSync(join(outdir, 'cli.js'))) throw error;
  } finally {
    rmSync(partial, { recursive: true, force: true });
  }
}

function pruneOlderBundles(current) {
  const older = readdirSync(distDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && /^[0-9a-f]{16}$/.test(entry.name) && entry.name !== current)
    .map((entry) => ({ path: join(distDir, entry.name), time: statSync(join(distDir, entry.name)).mtimeMs }))
    .sort((a, b) => b.time - a.time);
  for (const { path } of older.slice(KEEP_OLDER)) rmSync(path, { recursive: true, force: true });
}

/** The URL of the compiled CLI, bundled first when the sources changed since the last bundle. */
export async function compiledCli() {
  const name = bundleName();
  const outdir = join(distDir, name);
  if (!existsSync(join(outdir, 'cli.js'))) {
    await bundle(outdir);
    pruneOlderBundles(name);
  }
  return pathToFileURL(join(outdir, 'cli.js')).href;
}
