import type { Element } from '../element/element.js';

/**
 * Puts `before` back on the event loop's copy of `el` after the copy where it runs (a data
 * thread, a host process) refused `refused`: the loop's copy must not keep a value the stream
 * never had, or the next run would start with it. A value set since (a later call that was
 * accepted) is left alone.
 */
export function restoreProperty(el: Element, name: string, before: unknown, refused: unknown): void {
  if (el.get(name) !== refused) return;
  try {
    el.set(name, before);
  } catch {
    // It was settable a moment ago; a copy that refuses its own old value keeps the new one.
  }
}
