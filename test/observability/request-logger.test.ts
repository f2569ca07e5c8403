import { pino } from 'pino';
import { describe, expect, it, vi } from 'vitest';
import { lazyRequestLogger } from '../../src/observability/request-logger.js';

function parentLogger(level: string) {
  const lines: Record<string, unknown>[] = [];
  const parent = pino({ level }, { write: (line: string) => lines.push(JSON.parse(line)) });
  return { parent, lines, child: vi.spyOn(parent, 'child') };
}

// In the app, an error's line carries its request's id: test/http/every-operation.test.ts finds it by that id.
describe("a request's logger", () => {
  it('makes no pino child until the request logs, then writes what the child writes', () => {
    const { parent, lines, child } = parentLogger('info');
    const logger = lazyRequestLogger(parent, { reqId: 'req-1' }, {});
    expect(logger.level).toBe('info');
    expect(child).not.toHaveBeenCalled();

    logger.warn({ detail: 7 }, 'careful');
    logger.info('and %s', 'formatted');
    logger.debug('below the level');
    expect(child).toHaveBeenCalledTimes(1);
    const eager = parent.child({ reqId: 'req-1' });
    eager.warn({ detail: 7 }, 'careful');
    const strip = ({ time: _time, ...rest }: Record<string, unknown>) => rest;
    expect(lines.map(strip)).toEqual([
      { level: 40, pid: process.pid, hostname: expect.any(String), reqId: 'req-1', detail: 7, msg: 'careful' },
      { level: 30, pid: process.pid, hostname: expect.any(String), reqId: 'req-1', msg: 'and formatted' },
      strip(lines[2] as Record<string, unknown>),
    ]);
    expect(strip(lines[2] as Record<string, unknown>)).toEqual(strip(lines[0] as Record<string, unknown>));
  });

  it("keeps a route's own level", () => {
    const { parent, lines } = parentLogger('info');
    const logger = lazyRequestLogger(parent, { reqId: 'req-2' }, { level: 'error' });
    expect(logger.level).toBe('error');
    logger.warn('not written');
    logger.error('written');
    expect(lines).toMatchObject([{ level: 50, reqId: 'req-2', msg: 'written' }]);
  });
});
