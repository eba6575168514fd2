import { describe, expect, it } from 'vitest';
import { StreamingTask, type TaskDriver } from '../../src/exec/streaming-task.js';
import { FlowResult } from '../../src/element/flow.js';
import type { Buffer } from '../../src/element/buffer.js';

/** A driver whose every item arrives later, as an async source's do. */
function asyncDriver(count: number): TaskDriver & { delivered: number; finished: FlowResult | null } {
  let produced = 0;
  return {
    name: 'async-source',
    delivered: 0,
    finished: null,
    produce() {
      if (produced === count) return FlowResult.EOS;
      produced++;
      return Promise.resolve({ release() {} } as unknown as Buffer);
    },
    deliver() {
      this.delivered++;
      return FlowResult.OK;
    },
    finish(r) {
      this.finished = r;
    },
  };
}

describe('StreamingTask', () => {
  it('keeps no wait behind once it settles, however many items arrive later', async () => {
    const seen: number[] = [];
    const driver = asyncDriver(20_000);
    const task = new StreamingTask(driver);
    const originalDeliver = driver.deliver.bind(driver);
    driver.deliver = (item) => {
      seen.push(task.waitsInProgress);
      return originalDeliver(item);
    };
    expect(await task.run()).toBe(FlowResult.EOS);
    expect(driver.delivered).toBe(20_000);
    expect(Math.max(...seen)).toBe(0);
    expect(task.waitsInProgress).toBe(0);
  });

  it('wakes from a wait that never settles when stopped, and ends with FLUSHING', async () => {
    const driver: TaskDriver & { finished?: FlowResult } = {
      name: 'stuck-source',
      produce: () => new Promise<never>(() => {}),
      deliver: () => FlowResult.OK,
      finish(r) {
        this.finished = r;
      },
    };
    const task = new StreamingTask(driver);
    const ran = task.run();
    await new Promise((r) => setTimeout(r, 10));
    expect(task.waitsInProgress).toBe(1);
    task.stop();
    expect(await ran).toBe(FlowResult.FLUSHING);
    expect(driver.finished).toBe(FlowResult.FLUSHING);
    expect(task.waitsInProgress).toBe(0);
  });

  it('wakes from a blocker that ignores unblock when stopped', async () => {
    let delivered = 0;
    const driver: TaskDriver = {
      name: 'blocked-source',
      produce: () => ({ release() {} }) as unknown as Buffer,
      deliver() {
        delivered++;
        StreamingTask.current?.block(new Promise<never>(() => {}));
        return FlowResult.OK;
      },
      finish() {},
    };
    const task = new StreamingTask(driver);
    const ran = task.run();
    await new Promise((r) => setTimeout(r, 10));
    expect(delivered).toBe(1);
    task.stop();
    expect(await ran).toBe(FlowResult.FLUSHING);
  });

  it('stopped before it runs, it ends at once with FLUSHING; a second stop changes nothing', async () => {
    let produced = 0;
    let finished: FlowResult | null = null;
    const task = new StreamingTask({
      name: 'never-run',
      produce: () => {
        produced++;
        return FlowResult.EOS;
      },
      deliver: () => FlowResult.OK,
      finish: (r) => void (finished = r),
    });
    task.stop();
    task.stop();
    expect(await task.run()).toBe(FlowResult.FLUSHING);
    expect(produced).toBe(0);
    expect(finished).toBe(FlowResult.FLUSHING);
  });

  it('a blocker that rejects after the stop is not an unhandled rejection', async () => {
    let fail!: (e: Error) => void;
    const driver: TaskDriver = {
      name: 'blocked-then-stopped',
      produce: () => ({ release() {} }) as unknown as Buffer,
      deliver() {
        // Blocked and stopped in the same burst: the blocker is never awaited.
        StreamingTask.current?.block(new Promise<never>((_, reject) => (fail = reject)));
        task.stop();
        return FlowResult.OK;
      },
      finish() {},
    };
    const task = new StreamingTask(driver);
    expect(await task.run()).toBe(FlowResult.FLUSHING);
    fail(new Error('the write failed after the stop'));
    await new Promise((r) => setTimeout(r, 10));
  });
});
