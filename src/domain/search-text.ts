const MAX_SEARCH_TOKENS = 8;
const MAX_TOKEN_LENGTH = 40;
/** Words at least this long tolerate one typo. */
export const TYPO_MIN_LENGTH = 5;
const MAX_ALTERNATIVES = 4;

/** The words of shopper text: NFKC, lower-cased, letters and digits only, at most 8 of 40 characters. */
export function searchTokens(text: string): string[] {
  return (
    text
      .normalize("NFKC")
      .toLowerCase()
      .match(/[\p{L}\p{N}]+/gu)
      ?.slice(0, MAX_SEARCH_TOKENS)
      .map((t) => t.slice(0, MAX_TOKEN_LENGTH)) ?? []
  );
}

/** Every word of catalog text worth correcting towards (four letters or more), lower-cased. */
export function catalogWords(text: string): string[] {
  return (
    text
      .normalize("NFKC")
      .toLowerCase()
      .match(/[\p{L}\p{N}]+/gu) ?? []
  ).filter((w) => w.length >= 4 && w.length <= MAX_TOKEN_LENGTH);
}

/** Shopper text in the form that keys caches: its words joined by single spaces. */
export function normaliseQuery(text: string): string {
  return searchTokens(text).join(" ");
}

/** Whether `a` and `b` differ by at most one insertion, deletion, substitution or swap of neighbours. */
export function withinOneEdit(a: string, b: string): boolean {
  if (a === b) return true;
  const la = a.length;
  const lb = b.length;
  if (Math.abs(la - lb) > 1) return false;
  let i = 0;
  while (i < la && i < lb && a[i] === b[i]) i++;
  if (la === lb) {
    if (a.slice(i + 1) === b.slice(i + 1)) return true;
    return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2);
  }
  return la > lb ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
}

/** The words a catalog uses, sorted, for prefix checks and one-typo corrections. */
export class Vocabulary {
  readonly #words: string[];
  readonly #byLength = new Map<number, string[]>();

  constructor(words: Iterable<string>) {
    this.#words = [...new Set(words)].sort();
    for (const w of this.#words) {
      const list = this.#byLength.get(w.length) ?? [];
      list.push(w);
      this.#byLength.set(w.length, list);
    }
  }

  /** Whether some catalog word starts with `prefix`. */
  hasPrefix(prefix: string): boolean {
    let lo = 0;
    let hi = this.#words.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((this.#words[mid] ?? "") < prefix) lo = mid + 1;
      else hi = mid;
    }
    return (this.#words[lo] ?? "").startsWith(prefix);
  }

  /** Catalog words one edit away from `word` (none for short words or words the catalog has). */
  corrections(word: string): string[] {
    if (word.length < TYPO_MIN_LENGTH || this.hasPrefix(word)) return [];
    const found: string[] = [];
    for (const length of [word.length, word.length - 1, word.length + 1]) {
      for (const w of this.#byLength.get(length) ?? []) {
        if (withinOneEdit(word, w)) found.push(w);
        if (found.length >= MAX_ALTERNATIVES) return found;
      }
    }
    return found;
  }
}

/** A parsed search: the FTS5 expression to run, and the words it corrected. */
export interface SearchPlan {
  match: string;
  corrected: { from: string; to: string }[];
}

/**
 * The FTS5 MATCH expression for shopper text: every word must match as a prefix; a word
 * the catalog does not know also matches its one-typo corrections.
 */
export function planSearch(text: string, vocabulary?: Vocabulary): SearchPlan | undefined {
  const tokens = searchTokens(text);
  if (!tokens.length) return undefined;
  const corrected: SearchPlan["corrected"] = [];
  const parts = tokens.map((t) => {
    const own = `"${t}"*`;
    const alternatives = vocabulary?.corrections(t) ?? [];
    const first = alternatives[0];
    if (first === undefined) return own;
    corrected.push({ from: t, to: first });
    return `(${[own, ...alternatives.map((a) => `"${a}"*`)].join(" OR ")})`;
  });
  // FTS5 takes a bare space as AND between phrases, but a parenthesised group needs an explicit AND.
  const match = parts.reduce(
    (out, part, i) => (i === 0 ? part : `${out}${part.startsWith("(") || parts[i - 1]?.startsWith("(") ? " AND " : " "}${part}`),
    "",
  );
  return { match, corrected };
}
