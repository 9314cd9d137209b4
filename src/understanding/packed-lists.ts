/** Lists of numbers one after the other: list k is values[ends[k - 1] .. ends[k] - 1]. */
export interface PackedLists {
  values: Int32Array;
  ends: Int32Array;
}

export function packLists(lists: readonly Int32Array[]): PackedLists {
  const ends = cumulativeLengths(lists);
  const values = new Int32Array(ends.length > 0 ? (ends[ends.length - 1] as number) : 0);
  lists.forEach((list, k) => {
    values.set(list, (ends[k] as number) - list.length);
  });
  return { values, ends };
}

/** The running total of the lists' lengths: where each list ends when they are put one after the other. */
export function cumulativeLengths(lists: readonly { length: number }[]): Int32Array {
  const ends = new Int32Array(lists.length);
  let total = 0;
  lists.forEach((list, k) => {
    total += list.length;
    ends[k] = total;
  });
  return ends;
}

/** The lists, as views into the packed values. */
export function unpackLists(packed: PackedLists): Int32Array[] {
  return Array.from(packed.ends, (end, k) =>
    packed.values.subarray(k > 0 ? (packed.ends[k - 1] as number) : 0, end),
  );
}

/**
 * Word meaning for English phrasings, from pretrained word vectors (word-vectors.ts). Two signals:
 * - a linear classifier over the idf-weighted mean vector of a text, whose label scores the
 *   ranker adds to its own (it knows "arrived" is like "delivered" without a phrasing saying so);
 * - the alignment of a message with a label: each content word is matched with its most similar
 *   word of a phrasing, and the other way round (half the value), and with the most similar word
 *   of all the label's phrasings (the other half). Few phrasings per label are where it helps.
 * German texts get neither: there are no German vectors, and the ranker uses its other curve.
 */
