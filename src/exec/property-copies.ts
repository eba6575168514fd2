import type { Element } from '../element/element.js';
import type { PropertyValue } from '../element/property.js';

/**
 * An element placed on a data thread or in a host process has two copies: the event loop's
 * (which negotiation, inspection and the next run read) and the one where it runs. A property
 * change goes to both, the loop's first (it validates), and the two must not disagree after a
 * refusal: a loop copy that kept a value the stream never had would start the next run with it.
 *
 * Event loop only.
 */

/**
 * Sets `name` on the loop's copy of `el`, then where it runs through `remote` (given the value
 * as the loop's copy converted it). A refusal there puts the loop's copy back and is rethrown.
 */
export async function setOnBothCopies(el: Element, name: string, value: unknown, remote: (value: PropertyValue) => Promise<void>): Promise<void> {
  const before = el.get(name);
  el.set(name, value);
  const set = el.get(name);
  try {
    await remote(set);
  } catch (e) {
    restoreProperty(el, name, before, set);
    throw e;
  }
}

/**
 * Puts `before` back on the loop's copy of `el` after the copy where it runs refused `refused`.
 * A value set since (a later call that was accepted) is left alone.
 */
export function restoreProperty(el: Element, name: string, before: unknown, refused: unknown): void {
  if (el.get(name) !== refused) return;
  try {
    el.set(name, before);
  } catch {
    // It was settable a moment ago; a copy that refuses its own old value keeps the new one.
  }
}
