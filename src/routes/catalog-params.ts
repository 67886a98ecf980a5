import { z } from "zod";
import { PRODUCT_SORTS } from "../domain/catalog";
import { DECIMAL_ID_PATTERN, MAX_SLUG_LENGTH, SLUG_PATTERN } from "../domain/ids";

export const MAX_PAGE = 500;

/** A positive id written in canonical decimal digits (`0x1`, ` 1` and `01` are refused). */
export const idField = z.string().regex(DECIMAL_ID_PATTERN, "Use a positive whole number in decimal digits.").transform(Number);

/** `:id` path parameter. */
export const idParam = z.object({ id: idField });

/** `:slug` path parameter. */
export const slugParam = z.object({ slug: z.string().max(MAX_SLUG_LENGTH).regex(SLUG_PATTERN, "Must be a lowercase slug.") });

/** A whole number from `min` to `max` written in canonical decimal digits (`0x1`, ` 1`, `1e0`, `01` are refused). */
export const countField = (min: number, max: number) =>
  z
    .string()
    .regex(min === 0 ? /^(?:0|[1-9]\d{0,15})$/ : DECIMAL_ID_PATTERN, "Use a whole number in decimal digits.")
    .transform(Number)
    .pipe(z.number().int().min(min).max(max));

/** Page number in listings. */
export const pageField = countField(1, MAX_PAGE).default(1);

/** How many items a listing returns (`default` when absent). */
export const limitField = (max: number, fallback: number) => countField(1, max).default(fallback);

/** Shopper search text. */
export const searchText = z.string().trim().max(200, "Keep searches under 200 characters.");

/** Sort order for listings. */
export const sortField = z.enum(PRODUCT_SORTS);
