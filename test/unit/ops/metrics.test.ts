import { describe, expect, it } from 'vitest';
import { Metrics } from '../../../src/ops/metrics.ts';

describe('Metrics', () => {
  it('renders counters in the Prometheus text format with escaped labels', () => {
    const metrics = new Metrics();
    metrics.counter('turns_total', 'Customer turns handled.');
    metrics.inc('turns_total', { channel: 'web' });
    metrics.inc('turns_total', { channel: 'web' }, 2);
    metrics.inc('turns_total', { channel: 'slack' });
    metrics.inc('odd_total', { path: 'a"b\\c\nd' });
    expect(metrics.render()).toBe(
      [
        '# HELP turns_total Customer turns handled.',
        '# TYPE turns_total counter',
        'turns_total{channel="web"} 3',
        'turns_total{channel="slack"} 1',
        '# HELP odd_total odd_total',
        '# TYPE odd_total counter',
        'odd_total{path="a\\"b\\\\c\\nd"} 1',
        '',
      ].join('\n'),
    );
  });

  it('treats label order as the same series and reads values back', () => {
    const metrics = new Metrics();
    metrics.inc('http_requests_total', { method: 'GET', status: '200' });
    metrics.inc('http_requests_total', { status: '200', method: 'GET' });
    expect(metrics.value('http_requests_total', { method: 'GET', status: '200' })).toBe(2);
    expect(metrics.value('http_requests_total', { method: 'POST', status: '200' })).toBe(0);
  });

  it('rejects names Prometheus would not accept', () => {
    expect(() => new Metrics().counter('bad-name', 'x')).toThrow(
      expect.objectContaining({ code: 'invalid_metric_name' }),
    );
  });
});
