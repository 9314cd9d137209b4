/** Indices of the k largest values, largest first (k is small). */
export function topIndices(values: Float64Array, k: number): number[] {
  const top: number[] = [];
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (top.length === k && v <= (values[top[k - 1] as number] as number)) continue;
    let at = top.length < k ? top.length : k - 1;
    while (at > 0 && (values[top[at - 1] as number] as number) < v) at--;
    top.splice(at, 0, i);
    if (top.length > k) top.pop();
  }
  return top;
}

/** The k of `labels` with the highest values, highest first. */
export function topAmong(values: Float64Array, labels: readonly number[], k: number): number[] {
  return [...labels].sort((a, b) => (values[b] as number) - (values[a] as number)).slice(0, k);
}
