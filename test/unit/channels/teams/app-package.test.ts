import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { ACCENT_COLOR, drawColorIcon, drawOutlineIcon } from '../../../../src/channels/teams/app-icons.ts';
import { buildAppPackage } from '../../../../src/channels/teams/app-package.ts';
import { readPngHeader } from '../../../../src/channels/teams/png-encoder.ts';
import { readZip } from '../../../support/read-zip.ts';

const APP_DIR = 'appPackage';
const APP_ID = '3f2504e0-4f89-41d3-9a0c-0305e82c3301';
const require = createRequire(import.meta.url);
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

/**
 * The official schema from @microsoft/app-manifest, offline. It is draft-04; the keywords it
 * uses mean the same in Ajv's default draft, so only the `$schema` marker is dropped.
 */
async function officialValidator(file: string): Promise<ValidateFunction> {
  const manifest = JSON.parse(await readFile(join(APP_DIR, 'manifest.json'), 'utf8')) as {
    manifestVersion: string;
  };
  const path = require.resolve(
    `@microsoft/app-manifest/build/json-schemas/teams/v${manifest.manifestVersion}/${file}`,
  );
  const { $schema: _draft, ...schema } = JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>;
  // The localization schema has a pattern (`\b]`) that is only valid without the `u` flag.
  const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
  addFormats(ajv);
  return ajv.compile(schema);
}

function expectValid(validate: ValidateFunction, data: unknown): void {
  const ok = validate(data);
  expect(validate.errors ?? [], JSON.stringify(validate.errors, null, 2)).toEqual([]);
  expect(ok).toBe(true);
}

/** RGBA pixels of a PNG written by encodePng (filter 0 on every row). */
function decodePixels(png: Buffer): { width: number; height: number; pixels: Buffer } {
  const header = readPngHeader(png);
  if (!header) throw new Error('not a PNG');
  const parts: Buffer[] = [];
  for (let at = 8; at < png.length; ) {
    const length = png.readUInt32BE(at);
    if (png.toString('ascii', at + 4, at + 8) === 'IDAT') parts.push(png.subarray(at + 8, at + 8 + length));
    at += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(parts));
  const stride = header.width * 4;
  const pixels = Buffer.alloc(stride * header.height);
  for (let y = 0; y < header.height; y++) {
    expect(raw[y * (stride + 1)]).toBe(0);
    raw.copy(pixels, y * stride, y * (stride + 1) + 1, (y + 1) * (stride + 1));
  }
  return { width: header.width, height: header.height, pixels };
}

describe('Teams app package', () => {
  it('manifest.json passes the official Teams manifest schema', async () => {
    const validate = await officialValidator('MicrosoftTeams.schema.json');
    expectValid(validate, JSON.parse(await readFile(join(APP_DIR, 'manifest.json'), 'utf8')));
  });

  it('the German localization passes the official localization schema', async () => {
    const validate = await officialValidator('MicrosoftTeams.Localization.schema.json');
    expectValid(validate, JSON.parse(await readFile(join(APP_DIR, 'de.json'), 'utf8')));
  });

  it('the schema check is real: a bad app id or an unknown bot scope fails', async () => {
    const validate = await officialValidator('MicrosoftTeams.schema.json');
    const manifest = JSON.parse(await readFile(join(APP_DIR, 'manifest.json'), 'utf8'));
    expect(validate({ ...manifest, id: 'not-a-guid' })).toBe(false);
    expect(validate({ ...manifest, bots: [{ ...manifest.bots[0], scopes: ['everywhere'] }] })).toBe(false);
  });

  it('offers the bot to customers in personal scope with a command list, and to agents in a team', async () => {
    const manifest = JSON.parse(await readFile(join(APP_DIR, 'manifest.json'), 'utf8'));
    expect(manifest.bots).toHaveLength(1);
    expect(manifest.bots[0].scopes).toEqual(['personal', 'team']);
    expect(manifest.bots[0].commandLists[0].scopes).toEqual(['personal']);
    expect(manifest.bots[0].commandLists[0].commands.length).toBeGreaterThanOrEqual(3);
    expect(manifest.accentColor).toBe(ACCENT_COLOR);
  });

  it('asks for resource-specific consent to read the agent channels (replies without an @mention)', async () => {
    const manifest = JSON.parse(await readFile(join(APP_DIR, 'manifest.json'), 'utf8'));
    expect(manifest.authorization.permissions.resourceSpecific).toEqual([
      { name: 'ChannelMessage.Read.Group', type: 'Application' },
    ]);
    // RSC is granted to the Entra app named here: the packaged manifest carries the bot's app id.
    expect(manifest.webApplicationInfo.id).toBe(manifest.bots[0].botId);
    const validate = await officialValidator('MicrosoftTeams.schema.json');
    expect(
      validate({
        ...manifest,
        authorization: { permissions: { resourceSpecific: [{ name: 'x', type: 'Both' }] } },
      }),
    ).toBe(false);
  });

  it('zips manifest (with the app id), icons and localization at the root', async () => {
    const built = await buildAppPackage({ dir: APP_DIR, appId: APP_ID });
    const files = readZip(built.zip);
    expect(files.map((f) => f.name).sort()).toEqual(['color.png', 'de.json', 'manifest.json', 'outline.png']);
    const manifest = JSON.parse(files.find((f) => f.name === 'manifest.json')?.data.toString('utf8') ?? '{}');
    expect(manifest.id).toBe(APP_ID);
    expect(manifest.bots[0].botId).toBe(APP_ID);
    expect(manifest.webApplicationInfo.id).toBe(APP_ID);
    expectValid(await officialValidator('MicrosoftTeams.schema.json'), manifest);
    const committedColor = await readFile(join(APP_DIR, 'color.png'));
    expect(files.find((f) => f.name === 'color.png')?.data.equals(committedColor)).toBe(true);
  });

  it('gives the same package byte for byte from the same inputs', async () => {
    const first = await buildAppPackage({ dir: APP_DIR, appId: APP_ID });
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    const second = await buildAppPackage({ dir: APP_DIR, appId: APP_ID });
    expect(second.zip.equals(first.zip)).toBe(true);
  });

  it('refuses an app id that is not a GUID', async () => {
    await expect(buildAppPackage({ dir: APP_DIR, appId: 'my-bot' })).rejects.toMatchObject({
      code: 'invalid_app_id',
    });
  });

  it('refuses icons of the wrong size', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'teams-package-'));
    try {
      await writeFile(join(dir, 'manifest.json'), await readFile(join(APP_DIR, 'manifest.json')));
      await writeFile(join(dir, 'de.json'), await readFile(join(APP_DIR, 'de.json')));
      await writeFile(join(dir, 'color.png'), drawColorIcon(96));
      await writeFile(join(dir, 'outline.png'), drawOutlineIcon());
      await expect(buildAppPackage({ dir })).rejects.toMatchObject({ code: 'invalid_app_package' });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('the committed icons are the drawn ones, in the sizes Teams requires', async () => {
    const color = decodePixels(await readFile(join(APP_DIR, 'color.png')));
    const outline = decodePixels(await readFile(join(APP_DIR, 'outline.png')));
    expect([color.width, color.height]).toEqual([192, 192]);
    expect([outline.width, outline.height]).toEqual([32, 32]);
    expect(color.pixels.equals(decodePixels(drawColorIcon()).pixels)).toBe(true);
    expect(outline.pixels.equals(decodePixels(drawOutlineIcon()).pixels)).toBe(true);
  });

  it('the outline icon is white on transparent; the colour icon is opaque', () => {
    const outline = decodePixels(drawOutlineIcon()).pixels;
    let visible = 0;
    for (let i = 0; i < outline.length; i += 4) {
      if ((outline[i + 3] as number) === 0) continue;
      visible++;
      expect([outline[i], outline[i + 1], outline[i + 2]]).toEqual([255, 255, 255]);
    }
    expect(visible).toBeGreaterThan(100);
    expect(visible).toBeLessThan(32 * 32);
    const color = decodePixels(drawColorIcon()).pixels;
    for (let i = 3; i < color.length; i += 4) expect(color[i]).toBe(255);
  });
});
