import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type Zippable, zipSync } from 'fflate';
import { ConfigError } from '../../core/errors.ts';
import { readPngHeader } from './png-encoder.ts';

export interface AppPackageOptions {
  /** The folder with manifest.json, the icons and the localization files (appPackage/). */
  dir: string;
  /** MICROSOFT_APP_ID: stamped into the manifest as app id and bot id. */
  appId?: string | undefined;
  /** Overrides the manifest's app version (semver). */
  version?: string | undefined;
}

export interface AppPackage {
  zip: Buffer;
  /** The manifest as packaged (with the app id filled in). */
  manifest: Record<string, unknown>;
  /** Names of the files in the zip, in order. */
  files: string[];
}

const GUID = /^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$/;

/** Teams app ids and bot ids are GUIDs (8-4-4-4-12 hex digits). */
export function isGuid(value: string): boolean {
  return GUID.test(value);
}
/** Sizes Teams insists on. */
const ICON_SIZES = { color: 192, outline: 32 } as const;
/** Stamped on every entry, so the same inputs give the same package byte for byte. */
const PACKAGED_AT = new Date(2024, 0, 1);

interface ZipEntry {
  name: string;
  data: Uint8Array;
}

function zipEntries(entries: ZipEntry[]): Buffer {
  const files: Zippable = {};
  for (const { name, data } of entries) files[name] = [data, { mtime: PACKAGED_AT, level: 9 }];
  return Buffer.from(zipSync(files));
}

interface ManifestShape {
  id?: unknown;
  version?: unknown;
  icons?: { color?: unknown; outline?: unknown };
  bots?: { botId?: unknown }[];
  webApplicationInfo?: { id?: unknown };
  localizationInfo?: { additionalLanguages?: { file?: unknown }[] };
}

function relativeFile(value: unknown, what: string): string {
  if (typeof value !== 'string' || value === '' || value.includes('..') || value.startsWith('/')) {
    throw new ConfigError('invalid_app_package', `${what} must be a file name inside the package`);
  }
  return value;
}

/**
 * Builds the Teams app package: manifest.json (with the bot's app id), the two icons and the
 * localization files, zipped at the root as Teams expects. The icons' sizes are checked here,
 * because Teams rejects a package with wrong ones only at upload time.
 */
export async function buildAppPackage(options: AppPackageOptions): Promise<AppPackage> {
  const manifest = JSON.parse(await readFile(join(options.dir, 'manifest.json'), 'utf8')) as Record<
    string,
    unknown
  >;
  const shape = manifest as ManifestShape;
  if (options.appId !== undefined) {
    if (!isGuid(options.appId)) {
      throw new ConfigError(
        'invalid_app_id',
        'MICROSOFT_APP_ID must be a GUID to go into the Teams manifest',
      );
    }
    manifest.id = options.appId;
    for (const bot of shape.bots ?? []) bot.botId = options.appId;
    // Resource-specific consent (reading the agent channels' messages) is granted to this app id.
    if (shape.webApplicationInfo) shape.webApplicationInfo.id = options.appId;
  }
  if (options.version !== undefined) manifest.version = options.version;

  const entries: ZipEntry[] = [
    { name: 'manifest.json', data: Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`, 'utf8') },
  ];
  for (const kind of ['color', 'outline'] as const) {
    const name = relativeFile(shape.icons?.[kind], `icons.${kind}`);
    const data = await readFile(join(options.dir, name));
    const header = readPngHeader(data);
    const size = ICON_SIZES[kind];
    if (!header || header.width !== size || header.height !== size) {
      throw new ConfigError('invalid_app_package', `${name} must be a ${size}×${size} PNG`);
    }
    entries.push({ name, data });
  }
  for (const language of shape.localizationInfo?.additionalLanguages ?? []) {
    const name = relativeFile(language.file, 'localizationInfo.additionalLanguages[].file');
    const data = await readFile(join(options.dir, name));
    try {
      JSON.parse(data.toString('utf8'));
    } catch (error) {
      throw new ConfigError('invalid_app_package', `${name} is not valid JSON`, { cause: error });
    }
    entries.push({ name, data });
  }
  return { zip: zipEntries(entries), manifest, files: entries.map((e) => e.name) };
}
