import fc from 'fast-check';
import { Histogram, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { AccumulatedHistogram } from '../../src/observability/accumulated-histogram.js';

const config = {
  name: 'stores_api_test_seconds',
  help: 'A test histogram.',
  labelNames: ['operation_id', 'status_class'] as const,
  buckets: [0.001, 0.01, 0.1, 1],
};

describe('the accumulated histogram', () => {
  it('exposes exactly what prom-client’s own histogram does for the same observations', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            operation: fc.constantFrom('getStore', 'listItems'),
            status: fc.constantFrom('2xx', '4xx'),
            // Values on the bucket bounds too: a bound belongs to its own bucket.
            seconds: fc.oneof(fc.constantFrom(0, 0.001, 0.01, 0.1, 1, 5), fc.double({ min: 0, max: 10, noNaN: true })),
          }),
          { maxLength: 60 },
        ),
        async (observations) => {
          const theirs = new Registry();
          const ours = new Registry();
          const reference = new Histogram({ ...config, registers: [theirs] });
          const accumulated = new AccumulatedHistogram({ ...config, registers: [ours] });
          for (const { operation, status, seconds } of observations) {
            const labels = { operation_id: operation, status_class: status };
            reference.observe(labels, seconds);
            if (seconds > 1) accumulated.observe(labels, seconds);
            else accumulated.slot(labels).observe(seconds);
          }
          expect(await ours.metrics()).toBe(await theirs.metrics());
          accumulated.reset();
          reference.reset();
          expect(await ours.metrics()).toBe(await theirs.metrics());
        },
      ),
      { numRuns: 300 },
    );
  });
});
