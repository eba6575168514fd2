/** 0, 1, 2, ... n-1, counting how many were taken from it (how far a flow read ahead). */
export function counter(n = Infinity): Iterable<number> & { pulled: number } {
  const c = {
    pulled: 0,
    *[Symbol.iterator](): Iterator<number> {
      for (let i = 0; i < n; i++) {
        c.pulled++;
        yield i;
      }
    },
  };
  return c;
}
