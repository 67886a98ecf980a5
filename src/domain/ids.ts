/** A SKU: letters, digits, ".", "_" and "-", starting with a letter or digit, up to 64 characters. */
export const SKU_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** Lowercase, hyphen-separated ASCII slug. */
export const SLUG_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** The longest slug a product or category may have (keeps cache keys and URLs bounded). */
export const MAX_SLUG_LENGTH = 120;

/** Order ids: `ord_` and 24 lowercase hex digits. */
export const ORDER_ID_PATTERN = /^ord_[0-9a-f]{24}$/;

/** Lowercase hyphenated UUIDs (cart ids, form idempotency keys). */
export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Canonical positive decimal ids (no sign, no leading zeros, no spaces or hex). */
export const DECIMAL_ID_PATTERN = /^[1-9]\d{0,15}$/;
