import { z } from "zod";
import { PRODUCT_SORTS } from "../services/catalog-query";
import { SLUG_PATTERN } from "../slug";

export const MAX_PAGE = 500;

/** `:slug` path parameter. */
export const slugParam = z.object({ slug: z.string().max(120).regex(SLUG_PATTERN, "Must be a lowercase slug.") });

/** Page number in listings. */
export const pageField = z.coerce.number().int().min(1).max(MAX_PAGE).default(1);

/** Shopper search text. */
export const searchText = z.string().trim().max(200, "Keep searches under 200 characters.");

/** Sort order for listings. */
export const sortField = z.enum(PRODUCT_SORTS);
