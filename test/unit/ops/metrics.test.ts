import { describe, expect, it } from 'vitest';
import { Metrics } from '../../../src/ops/metrics.ts';

describe('Metrics', () => {
  it('renders counters in the Prometheus text format with escaped labels', async () => {
    const metrics = new Metrics();
    metrics.counter('turns_total', 'Customer turns handled.', ['channel']);
    metrics.inc('turns_total', { channel: 'web' });
    metrics.inc('turns_total', { channel: 'web' }, 2);
    metrics.inc('turns_total', { channel: 'slack' });
    metrics.counter('odd_total', 'Odd labels.', ['path']);
    metrics.inc('odd_total', { path: 'a"b\\c\nd' });
    const text = await metrics.render();
    expect(text).toContain('# HELP turns_total Customer turns handled.\n# TYPE turns_total counter\n');
    expect(text).toContain('turns_total{channel="web"} 3\n');
    expect(text).toContain('turns_total{channel="slack"} 1\n');
    expect(text).toContain('odd_total{path="a\\"b\\\\c\\nd"} 1\n');
  });

  it('treats label order as the same series and reads values back', async () => {
    const metrics = new Metrics();
    metrics.counter('http_requests_total', 'Requests.', ['method', 'status']);
    metrics.inc('http_requests_total', { method: 'GET', status: '200' });
    metrics.inc('http_requests_total', { status: '200', method: 'GET' });
    expect(await metrics.value('http_requests_total', { method: 'GET', status: '200' })).toBe(2);
    expect(await metrics.value('http_requests_total', { method: 'POST', status: '200' })).toBe(0);
  });

  it('declares a counter once, however often it is asked for', () => {
    const metrics = new Metrics();
    expect(metrics.counter('a_total', 'A.')).toBe(metrics.counter('a_total', 'A.'));
  });

  it('rejects names Prometheus would not accept, and labels never declared', () => {
    expect(() => new Metrics().counter('bad-name', 'x')).toThrow(/Invalid metric name/);
    const metrics = new Metrics();
    metrics.counter('c_total', 'C.', ['channel']);
    expect(() => metrics.inc('c_total', { queue: 'x' })).toThrow(/label/i);
  });

  it('adds the process figures when asked to', async () => {
    const text = await new Metrics({ processMetrics: true }).render();
    expect(text).toContain('process_cpu_seconds_total');
    expect(text).toContain('nodejs_eventloop_lag_seconds');
  });
});
