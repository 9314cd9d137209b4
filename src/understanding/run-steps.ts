import { performance } from 'node:perf_hooks';
import { setImmediate as nextTurn } from 'node:timers/promises';

/**
 * A long computation written as a generator that yields between small steps. The same code runs
 * straight through (`runSteps`, at start-up) or in slices between which the event loop serves
 * messages (`runStepsAsync`, at run time), so both give the very same result.
 */
export type BuildSteps<T> = Generator<void, T, void>;

export type StepsOutcome<T> = { ok: true; value: T } | { ok: false; code: 'superseded' };

export interface AsyncStepsOptions {
  /** Longest run of steps between two turns of the event loop. Default 8 ms. */
  sliceMs?: number;
  /** Checked after every pause: true abandons the computation (a newer one replaces it). */
  superseded?: () => boolean;
}

const DEFAULT_SLICE_MS = 8;

/** Runs the steps to the end without pausing. */
export function runSteps<T>(steps: BuildSteps<T>): T {
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/** Runs the steps in slices of about `sliceMs`, giving the event loop a turn after each slice. */
export async function runStepsAsync<T>(
  steps: BuildSteps<T>,
  options: AsyncStepsOptions = {},
): Promise<StepsOutcome<T>> {
  const sliceMs = options.sliceMs ?? DEFAULT_SLICE_MS;
  let sliceStart = performance.now();
  for (;;) {
    const step = steps.next();
    if (step.done) return { ok: true, value: step.value };
    if (performance.now() - sliceStart < sliceMs) continue;
    await nextTurn();
    if (options.superseded?.()) {
      steps.return(undefined as never);
      return { ok: false, code: 'superseded' };
    }
    sliceStart = performance.now();
  }
}

/** `items.map(fn)` that yields every `every` items. */
export function* mapInSteps<T, U>(
  items: readonly T[],
  fn: (item: T, index: number) => U,
  every = 32,
): BuildSteps<U[]> {
  const out: U[] = [];
  for (let i = 0; i < items.length; i++) {
    out.push(fn(items[i] as T, i));
    if (i % every === every - 1) yield;
  }
  return out;
}
