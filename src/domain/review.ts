/** Words that send a review to a human before anyone sees it (matched as whole words, any case). */
export const BANNED_WORDS = ["viagra", "casino", "crypto", "bitcoin", "loan", "porn", "fuck", "shit", "scam"];

/** Reviews shorter than this (title and text together, in characters) are flagged as too short to help. */
export const MIN_REVIEW_CHARS = 20;

const LINK = /(https?:\/\/|www\.|\b[a-z0-9-]+\.(com|net|org|io|ru|xyz|info|biz|shop|top)\b)/i;

/** Why a review needs a human look: it carries a link, a banned word, or too little to go on. */
export function reviewFlags(title: string, body: string): string[] {
  const text = `${title} ${body}`;
  const words = new Set(text.toLowerCase().split(/[^\p{L}\p{N}]+/u));
  return [
    ...(LINK.test(text) ? ["link"] : []),
    ...(BANNED_WORDS.some((w) => words.has(w)) ? ["banned_word"] : []),
    ...(text.replace(/\s+/g, "").length < MIN_REVIEW_CHARS ? ["too_short"] : []),
  ];
}

/** The name a review shows: first name and initial of the last, or "Verified buyer". */
export function reviewerName(fullName: string): string {
  const parts = fullName.trim().split(/\s+/).filter(Boolean);
  if (!parts.length) return "Verified buyer";
  const last = parts.length > 1 ? ` ${[...(parts[parts.length - 1] ?? "")][0]?.toUpperCase()}.` : "";
  return `${parts[0]}${last}`.slice(0, 60);
}

/** Review ids: `rev_` and 20 lowercase hex digits. */
export const REVIEW_ID_PATTERN = /^rev_[0-9a-f]{20}$/;

/** A product's approved reviews as pages show them. */
export interface ReviewsSummary {
  /** Average rating to one decimal, or null without reviews. */
  average: number | null;
  count: number;
  items: { rating: number; title: string; body: string; authorName: string; createdAt: string }[];
}
