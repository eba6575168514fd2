import { describe, expect, it } from 'vitest';
import { Cancellation } from '../../src/exec/cancellation.js';

const never = (): Promise<never> => new Promise<never>(() => {});

describe('Cancellation', () => {
  it('a race is its promise until cancelled, and leaves no waker once settled', async () => {
    const c = new Cancellation();
    expect(await c.race(Promise.resolve(7))).toBe(7);
    await expect(c.race(Promise.reject(new Error('own failure')))).rejects.toThrow('own failure');
    expect(c.waiting).toBe(0);
    expect(c.cancelled).toBe(false);
  });

  it('cancel() rejects every race in progress with the reason, once', async () => {
    const c = new Cancellation();
    const reason = new Error('stop');
    const a = c.race(never());
    const b = c.race(never());
    expect(c.waiting).toBe(2);
    c.cancel(reason);
    c.cancel(new Error('a second reason is ignored'));
    await expect(a).rejects.toBe(reason);
    await expect(b).rejects.toBe(reason);
    expect(c.waiting).toBe(0);
    expect(c.isReason(reason)).toBe(true);
    expect(c.isReason(new Error('stop'))).toBe(false);
    expect(() => c.throwIfCancelled()).toThrow(reason);
  });

  it('a race after cancel() rejects at once, and a later rejection of its promise is not unhandled', async () => {
    const c = new Cancellation();
    const reason = new Error('stop');
    c.cancel(reason);
    let fail!: (e: Error) => void;
    const late = new Promise<never>((_, reject) => (fail = reject));
    await expect(c.race(late)).rejects.toBe(reason);
    // vitest fails the run on an unhandled rejection: this one must be observed by the race.
    fail(new Error('rejected after nobody waits'));
    await new Promise((r) => setTimeout(r, 10));
  });

  it('or() resolves with its value once cancelled, before or during the wait', async () => {
    const c = new Cancellation();
    const during = c.or(never(), 'stopped');
    c.cancel(new Error('stop'));
    expect(await during).toBe('stopped');
    expect(await c.or(never(), 'stopped')).toBe('stopped');
    expect(await new Cancellation().or(Promise.resolve(1), 'stopped')).toBe(1);
  });
});
