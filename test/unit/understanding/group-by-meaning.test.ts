import { beforeAll, describe, expect, it } from 'vitest';
import { groupByMeaning } from '../../../src/understanding/group-by-meaning.ts';
import { Understanding } from '../../../src/understanding/understanding.ts';

const root = new URL('../../../', import.meta.url).pathname;
let understanding: Understanding;

beforeAll(async () => {
  understanding = await Understanding.load({
    knowledgeDir: `${root}knowledge`,
    intentsDir: `${root}intents`,
  });
});

function groupsOf(texts: string[]): string[][] {
  const vectors = understanding.similarityVectors(texts.map((text) => ({ text })));
  return groupByMeaning(vectors).map((group) => group.map((i) => texts[i] as string));
}

describe('grouping questions by the matcher’s similarity', () => {
  it('puts rewordings of one request together and keeps other requests apart, also with words the FAQ lacks', () => {
    const groups = groupsOf([
      'Mein Headset knistert furchtbar',
      'My printer was stolen',
      'Headset knistert ständig',
      'My printer makes a noise',
      'Help, the printer was stolen!',
      'Wie beantrage ich einen Parkplatz?',
      'Parkplatz beantragen',
    ]);
    expect(groups).toEqual([
      ['Mein Headset knistert furchtbar', 'Headset knistert ständig'],
      ['My printer was stolen', 'Help, the printer was stolen!'],
      ['My printer makes a noise'],
      ['Wie beantrage ich einen Parkplatz?', 'Parkplatz beantragen'],
    ]);
  });

  it('gives a text with nothing to compare a group of its own', () => {
    expect(groupsOf(['???', '!!!'])).toEqual([['???'], ['!!!']]);
    expect(groupsOf([])).toEqual([]);
  });
});
