// "Did you mean …?": the nearest of a few known names to one that was not recognised (a field, a
// procedure, a REST route), so an error can say what was probably meant.

/** Levenshtein distance: the fewest single-character insertions, deletions and substitutions from a to b. */
export const editDistance = (a: string, b: string): number => {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const here = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = here;
    }
  }
  return row[b.length]!;
};

/** Names longer than this are not compared: the work is quadratic, and such a name is no typo. */
const MAX_COMPARED = 200;

/**
 * The candidate closest to `word` — one that begins with it (when it has three characters or more),
 * or one within `maxDistance` edits, compared without regard to case — or undefined when none is
 * that close.
 */
export const nearest = (word: string, candidates: Iterable<string>, maxDistance = 2): string | undefined => {
  if (word.length === 0 || word.length > MAX_COMPARED) return undefined;
  const w = word.toLowerCase();
  let best: { candidate: string; d: number } | undefined;
  for (const candidate of candidates) {
    if (candidate === word || candidate.length > MAX_COMPARED) continue;
    const c = candidate.toLowerCase();
    // A name cut short ("idempotency" for "idempotencyKey") is as good as a typo.
    const d = c === w ? 0 : w.length >= 3 && c.startsWith(w) ? 1 : editDistance(w, c);
    if (d <= maxDistance && (!best || d < best.d)) best = { candidate, d };
  }
  return best?.candidate;
};

/** ` — did you mean "x"?`, or nothing when no candidate is near. */
export const didYouMean = (word: string, candidates: Iterable<string>, maxDistance = 2): string => {
  const guess = nearest(word, candidates, maxDistance);
  return guess === undefined ? '' : ` — did you mean "${guess}"?`;
};
