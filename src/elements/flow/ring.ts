/**
 * A growable FIFO ring (power-of-two capacity) for queue items: O(1) push and shift with no
 * allocation until it has to grow, unlike `Array.prototype.shift`.
 *
 * Event-loop only; one owner.
 */
export class Ring<T> {
  private items: (T | undefined)[];
  private mask: number;
  private head = 0;
  private count = 0;

  constructor(capacity = 16) {
    let cap = 16;
    while (cap < capacity) cap *= 2;
    this.items = new Array<T | undefined>(cap).fill(undefined);
    this.mask = cap - 1;
  }

  get length(): number {
    return this.count;
  }

  push(item: T): void {
    if (this.count === this.items.length) this.grow();
    this.items[(this.head + this.count) & this.mask] = item;
    this.count++;
  }

  /** Takes the oldest item, or undefined when empty. */
  shift(): T | undefined {
    if (this.count === 0) return undefined;
    const item = this.items[this.head];
    this.items[this.head] = undefined;
    this.head = (this.head + 1) & this.mask;
    this.count--;
    return item;
  }

  /** The oldest item without taking it. */
  peek(): T | undefined {
    return this.count === 0 ? undefined : this.items[this.head];
  }

  /** The `i`-th oldest item. */
  at(i: number): T | undefined {
    return i < 0 || i >= this.count ? undefined : this.items[(this.head + i) & this.mask];
  }

  /**
   * Removes the `i`-th oldest item, moving the ones before it up by one (cheap when `i` is
   * small, as for leaky=downstream skipping a few queued events).
   */
  removeAt(i: number): T | undefined {
    if (i < 0 || i >= this.count) return undefined;
    const mask = this.mask;
    const item = this.items[(this.head + i) & mask];
    for (let j = i; j > 0; j--) this.items[(this.head + j) & mask] = this.items[(this.head + j - 1) & mask];
    this.items[this.head] = undefined;
    this.head = (this.head + 1) & mask;
    this.count--;
    return item;
  }

  /** Takes every item, oldest first, into `fn`. */
  drain(fn: (item: T) => void): void {
    for (let it = this.shift(); it !== undefined; it = this.shift()) fn(it);
  }

  private grow(): void {
    const old = this.items;
    const cap = old.length * 2;
    const next = new Array<T | undefined>(cap).fill(undefined);
    for (let i = 0; i < this.count; i++) next[i] = old[(this.head + i) & this.mask];
    this.items = next;
    this.mask = cap - 1;
    this.head = 0;
  }
}
