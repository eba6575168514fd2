import { expect } from 'vitest';
import type { FlowResult } from '../../../src/element/flow.js';
import type { Harness } from '../../../src/harness/harness.js';

/** Lets promise callbacks (clock waits, task steps) run. */
export const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Runs one step of a timed element's own task and checks that its item comes out exactly when
 * the fake clock reaches `due`: not at `due - 1`, and at `due`. Returns the step's result.
 */
export async function expectStepAt(h: Harness, due: number): Promise<FlowResult> {
  let done = false;
  const step = h.step().then((r) => {
    done = true;
    return r;
  });
  await tick();
  if (due > h.clock.now()) {
    h.clock.set(due - 1);
    await tick();
    expect(done, `came out before ${due}`).toBe(false);
    h.clock.set(due);
  }
  await tick();
  expect(done, `did not come out at ${due}`).toBe(true);
  return step;
}
