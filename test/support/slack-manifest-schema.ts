import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { Ajv, type ErrorObject } from 'ajv';
import addFormatsModule from 'ajv-formats';

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;
const SCHEMA_DIR = new URL('../../vendor/slack-manifest-schema/', import.meta.url);

function readJson(file: string): unknown {
  return JSON.parse(readFileSync(new URL(file, SCHEMA_DIR), 'utf8'));
}

/** Every absolute `$ref` in a schema: the published addresses of the versioned schemas. */
function remoteRefs(node: unknown, found = new Set<string>()): Set<string> {
  if (Array.isArray(node)) for (const item of node) remoteRefs(item, found);
  else if (node && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      if (key === '$ref' && typeof value === 'string' && /^https?:/.test(value)) found.add(value);
      else remoteRefs(value, found);
    }
  }
  return found;
}

export interface ManifestVerdict {
  valid: boolean;
  /** `<JSON pointer> <message>`, once each; empty when valid. */
  problems: string[];
}

/** The top-level schema's own v1/v2 switch: its errors only say "the other version did not apply". */
const VERSION_SWITCH = /^#\/oneOf(\/\d+\/allOf\/0\/|$)/;

function describeProblems(errors: ErrorObject[]): string[] {
  const lines = errors
    .filter((e) => !VERSION_SWITCH.test(e.schemaPath))
    .map((e) => `${e.instancePath || '/'} ${e.message ?? e.keyword}`);
  return [...new Set(lines)];
}

function matchesRegex(regex: string, value: string): boolean {
  const ok = new RegExp(regex, 'u').test(value);
  matchesRegex.errors = ok ? [] : [{ message: `must match ${regex}` }];
  return ok;
}
matchesRegex.errors = [] as Partial<ErrorObject>[];

/**
 * Slack's published app-manifest schema (vendor/slack-manifest-schema, draft-07), offline:
 * the top-level schema picks v1 or v2 by `_metadata.major_version` and refers to the versioned
 * schemas by their published URLs, which are served here from the vendored copies.
 */
function compileSlackManifestSchema() {
  const top = readJson('manifest.schema.json');
  // The version switch uses `properties`/`required` without `type: object`: valid draft-07.
  const ajv = new Ajv({ allErrors: true, strictTypes: false });
  addFormats(ajv);
  ajv.addKeyword({ keyword: '_note' }); // an annotation for readers of the schema
  // Slack writes `regex` where JSON Schema says `pattern` (background_color); held as Slack means it.
  ajv.addKeyword({ keyword: 'regex', type: 'string', schemaType: 'string', validate: matchesRegex });
  for (const url of remoteRefs(top)) ajv.addSchema(readJson(`schemas/${basename(url)}`) as object, url);
  return ajv.compile(top as object);
}

let compiled: ReturnType<typeof compileSlackManifestSchema> | undefined;

export function validateSlackManifest(manifest: unknown): ManifestVerdict {
  compiled ??= compileSlackManifestSchema();
  const valid = compiled(manifest);
  return { valid, problems: valid ? [] : describeProblems(compiled.errors ?? []) };
}
