import { z } from "zod";
import { COUNTRY_CODES } from "../countries";
import { MAX_LINE_QUANTITY } from "../domain/cart";

/** Checkout body: email and a shipping address (country as ISO 3166-1 alpha-2). */
export const checkoutInput = z
  .object({
    email: z.email("Enter a valid email address.").max(254),
    shippingAddress: z
      .object({
        name: z.string().trim().min(1, "Enter the recipient's name.").max(100),
        line1: z.string().trim().min(1, "Enter the street address.").max(200),
        line2: z.string().trim().max(200).optional(),
        city: z.string().trim().min(1, "Enter the city.").max(100),
        region: z.string().trim().max(100).optional(),
        postalCode: z.string().trim().min(1, "Enter the postal code.").max(20),
        country: z
          .string()
          .trim()
          .toUpperCase()
          .refine((c) => COUNTRY_CODES.has(c), "Use an ISO 3166-1 alpha-2 country code such as US."),
        phone: z.string().trim().max(30).optional(),
      })
      .strict(),
    shippingMethod: z.string().trim().min(1).max(64).optional(),
    giftCards: z.array(z.string().trim().min(1, "Enter the gift card code.").max(40)).max(5, "At most 5 gift cards per order.").optional(),
    loyaltyPoints: z.int("Whole points.").min(1).max(100_000_000).optional(),
  })
  .strict();

/** Where a quote is for: `?country=&region=&postalCode=&shippingMethod=`. */
export const quoteQuery = z.object({
  country: z
    .string()
    .trim()
    .toUpperCase()
    .refine((c) => COUNTRY_CODES.has(c), "Use an ISO 3166-1 alpha-2 country code such as US."),
  region: z.string().trim().max(100).optional(),
  postalCode: z.string().trim().max(20).optional(),
  shippingMethod: z.string().trim().min(1).max(64).optional(),
  points: z.coerce.number().int("Whole points.").min(0).max(100_000_000).optional(),
});

/** Cart ids are UUIDs. */
export const cartIdParam = z.object({ id: z.uuid("Cart ids are UUIDs.") });

/** Line quantities. */
export const quantityField = z.number().int("Use a whole number.").min(0).max(MAX_LINE_QUANTITY);
