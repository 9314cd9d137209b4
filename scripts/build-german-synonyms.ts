/**
 * Builds the German synonym table the matcher ships with
 * (src/understanding/word-vectors/de-synonyms.txt.gz; see src/understanding/german-synonyms.ts)
 * from OpenThesaurus (Debian package `openthesaurus-de-text`, LGPL-2.1; nothing is downloaded):
 *
 *   apt-get install openthesaurus-de-text
 *   npx tsx scripts/build-german-synonyms.ts [/usr/share/openthesaurus-de/openthesaurus.txt] [out]
 *
 * Each line of the source is one set of words with a shared meaning ("langsam;schleppend;lahm;
 * träge"). Kept: single words (notes such as "(ugs.)" dropped; phrases and abbreviations of one or
 * two letters left out), normalised as messages are (lower case, umlauts folded) and stemmed as
 * German; stop words left out. A set keeps at least two different stems; one line per set, the
 * stems separated by ";", gzip-compressed.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { tokenize } from '../src/understanding/normalize-text.ts';
import { stemWord } from '../src/understanding/stem-word.ts';
import { isStopWord } from '../src/understanding/stop-words.ts';

const source = process.argv[2] ?? '/usr/share/openthesaurus-de/openthesaurus.txt';
const out = process.argv[3] ?? 'src/understanding/word-vectors/de-synonyms.txt.gz';
const MIN_LENGTH = 3;

const sets: string[] = [];
let words = 0;
for (const line of readFileSync(source, 'utf8').split('\n')) {
  if (line.startsWith('#') || line.trim() === '') continue;
  const stems = new Set<string>();
  for (const entry of line.split(';')) {
    const bare = entry.replace(/\([^)]*\)/g, ' ').trim();
    const tokens = tokenize(bare);
    if (tokens.length !== 1) continue;
    const token = tokens[0] as string;
    if (token.length < MIN_LENGTH || !/^[a-z]+$/.test(token) || isStopWord(token, 'de')) continue;
    stems.add(stemWord(token, 'de'));
  }
  if (stems.size < 2) continue;
  words += stems.size;
  sets.push([...stems].join(';'));
}
const bytes = gzipSync(`${sets.join('\n')}\n`, { level: 9 });
writeFileSync(out, bytes);
process.stdout.write(`${sets.length} sets, ${words} stems, ${bytes.length} bytes → ${out}\n`);
