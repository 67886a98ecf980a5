import { z } from "zod";
import { PRODUCT_SORTS } from "../domain/catalog";
import { DECIMAL_ID_PATTERN, MAX_SLUG_LENGTH, SLUG_PATTERN } from "../domain/ids";
import { type ListingFilters, MAX_FILTER_VALUES, parseFilters } from "../domain/listing";
import { invalid } from "../errors";

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

const repeated = (max: number) =>
  z
    .union([z.string().max(max), z.array(z.string().max(max)).max(MAX_FILTER_VALUES)])
    .optional()
    .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]));

/** Listing filters from the query string (`opt=Color:Red`, `price=10-25`, `stock=1`), canonicalised. */
export const filterFields = {
  opt: repeated(120),
  price: repeated(16),
  stock: z.enum(["1"], "Use stock=1 to show only what is in stock.").optional(),
};

/** Checks and canonicalises the filter fields of a listing query. */
export function listingFilters(query: { opt: string[]; price: string[]; stock?: "1" }): ListingFilters {
  const filters = parseFilters(query);
  if (!filters) {
    throw invalid("invalid_filter", `Filters are option:value pairs and known price bands, at most ${MAX_FILTER_VALUES} at once.`);
  }
  return filters;
}
