/** Levenshtein distance, for "did you mean" hints. */
export function editDistance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j]!;
      prev[j] = Math.min(up + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return prev[b.length]!;
}

/** The closest candidates to `name` (at most 3, all at the best distance); empty when nothing is close. */
export function suggest(name: string, candidates: Iterable<string>): string[] {
  const limit = Math.max(2, Math.floor(name.length / 3));
  const scored = [...candidates]
    .map((c) => ({ c, d: c.startsWith(name) || name.startsWith(c) ? Math.min(1, editDistance(name, c)) : editDistance(name, c) }))
    .filter((x) => x.d <= limit);
  // Only the closest: "fakesnk" suggests fakesink, not fakesink and fakesrc.
  const best = Math.min(...scored.map((x) => x.d));
  return scored.filter((x) => x.d === best).map((x) => x.c).sort().slice(0, 3);
}

/** " (did you mean fakesrc?)" or "". */
export function didYouMean(name: string, candidates: Iterable<string>): string {
  const s = suggest(name, candidates);
  return s.length === 0 ? '' : ` (did you mean ${s.join(', ')}?)`;
}
