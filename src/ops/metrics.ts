import { SupportBotError } from '../core/errors.ts';

/**
 * Small in-process counters exposed in Prometheus text format at GET /metrics. Label sets are
 * kept small on purpose (route patterns, not raw paths) so the series count stays bounded.
 */
export type Labels = Record<string, string>;

interface Family {
  help: string;
  type: 'counter' | 'gauge';
  series: Map<string, { labels: Labels; value: number }>;
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;

function seriesKey(labels: Labels): string {
  return Object.keys(labels)
    .sort()
    .map((k) => `${k}=${labels[k]}`)
    .join(',');
}

function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

export class Metrics {
  private readonly families = new Map<string, Family>();

  /** Declares a counter (idempotent); increments go through `inc`. */
  counter(name: string, help: string): void {
    this.declare(name, help, 'counter');
  }

  gauge(name: string, help: string): void {
    this.declare(name, help, 'gauge');
  }

  inc(name: string, labels: Labels = {}, by = 1): void {
    const family = this.families.get(name) ?? this.declare(name, name, 'counter');
    const key = seriesKey(labels);
    const series = family.series.get(key);
    if (series) series.value += by;
    else family.series.set(key, { labels: { ...labels }, value: by });
  }

  set(name: string, labels: Labels, value: number): void {
    const family = this.families.get(name) ?? this.declare(name, name, 'gauge');
    family.series.set(seriesKey(labels), { labels: { ...labels }, value });
  }

  value(name: string, labels: Labels = {}): number {
    return this.families.get(name)?.series.get(seriesKey(labels))?.value ?? 0;
  }

  /** Prometheus text exposition format 0.0.4. */
  render(): string {
    const lines: string[] = [];
    for (const [name, family] of this.families) {
      lines.push(`# HELP ${name} ${family.help.replace(/\n/g, ' ')}`);
      lines.push(`# TYPE ${name} ${family.type}`);
      for (const { labels, value } of family.series.values()) {
        const parts = Object.entries(labels).map(([k, v]) => `${k}="${escapeLabel(v)}"`);
        lines.push(`${name}${parts.length ? `{${parts.join(',')}}` : ''} ${value}`);
      }
    }
    return `${lines.join('\n')}\n`;
  }

  private declare(name: string, help: string, type: Family['type']): Family {
    if (!NAME.test(name)) throw new SupportBotError('invalid_metric_name', `invalid metric name: ${name}`);
    const existing = this.families.get(name);
    if (existing) return existing;
    const family: Family = { help, type, series: new Map() };
    this.families.set(name, family);
    return family;
  }
}
