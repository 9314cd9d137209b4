import { Counter, collectDefaultMetrics, Registry } from 'prom-client';
import { RuntimeError } from '../core/errors.ts';

export type Labels = Record<string, string>;

export interface MetricsOptions {
  /** Process figures (CPU, memory, event-loop lag, handles) beside the bot's own; off in tests. */
  processMetrics?: boolean | undefined;
}

/**
 * The bot's Prometheus metrics on prom-client, in a registry of their own (several bots in one
 * test process must not share series). Label sets are kept small on purpose (route patterns,
 * not raw paths) so the series count stays bounded.
 */
export class Metrics {
  readonly registry = new Registry();
  readonly contentType = this.registry.contentType;

  constructor(options: MetricsOptions = {}) {
    if (options.processMetrics) collectDefaultMetrics({ register: this.registry });
  }

  /** Declares a counter with its label names; declaring it again returns the same counter. */
  counter(name: string, help: string, labelNames: readonly string[] = []): Counter {
    const existing = this.registry.getSingleMetric(name);
    if (existing instanceof Counter) return existing;
    return new Counter({ name, help, labelNames, registers: [this.registry] });
  }

  /** Adds to a declared counter. */
  inc(name: string, labels: Labels = {}, by = 1): void {
    const counter = this.registry.getSingleMetric(name);
    if (!(counter instanceof Counter))
      throw new RuntimeError('internal_error', `metric ${name} was not declared`);
    counter.inc(labels, by);
  }

  /** The current value of one series (0 when it has none yet). */
  async value(name: string, labels: Labels = {}): Promise<number> {
    const metric = this.registry.getSingleMetric(name);
    if (!metric) return 0;
    const { values } = await metric.get();
    const wanted = Object.entries(labels);
    const series = values.find(
      (v) =>
        Object.keys(v.labels).length === wanted.length &&
        wanted.every(([key, value]) => v.labels[key] === value),
    );
    return series?.value ?? 0;
  }

  /** The Prometheus text exposition format. */
  render(): Promise<string> {
    return this.registry.metrics();
  }
}
