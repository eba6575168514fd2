import type { Element } from '../element/element.js';

/**
 * Puts `value` back on the event loop's copy of `el` after the copy where it runs (a data thread,
 * a host process) refused a change: the loop's copy must not keep a value the stream never had,
 * or the next run would start with it.
 */
export function restoreProperty(el: Element, name: string, value: unknown): void {
  try {
    el.set(name, value);
  } catch {
    // It was settable a moment ago; a copy that refuses its own old value keeps the new one.
  }
}
