import { z } from "zod";
import { PRODUCT_STATUSES } from "../domain/catalog";
import { ORDER_EVENT_KINDS, ORDER_STATUSES, RETURN_STATUSES } from "../domain/order";

/** An ISO 8601 UTC timestamp as the APIs write them (`toISOString`). */
export const timestamp = z.string().meta({ format: "date-time" });

/** An amount in integer minor units of an ISO 4217 currency. */
export const MoneySchema = z
  .object({ amount: z.int().meta({ description: "Minor units (cents)." }), currency: z.string().length(3) })
  .meta({ id: "Money" });

/** An image reference; the bytes are at `/media/{key}`. */
export const MediaRefSchema = z
  .object({ key: z.string(), alt: z.string(), width: z.int().nullable(), height: z.int().nullable() })
  .meta({ id: "MediaRef" });

const ProductSummarySchema = z
  .object({
    id: z.int(),
    slug: z.string(),
    title: z.string(),
    brand: z.string().nullable(),
    price: MoneySchema,
    available: z.boolean(),
    image: MediaRefSchema.nullable(),
  })
  .meta({ id: "ProductSummary" });

/** One page of published products. */
export const ProductListSchema = z
  .object({ items: z.array(ProductSummarySchema), page: z.int(), limit: z.int(), total: z.int() })
  .meta({ id: "ProductList" });

/** The categories a product is in (id, slug, name). */
export const productCategories = z.array(z.object({ id: z.int(), slug: z.string(), name: z.string() }));

/** Fields every variant view shares. */
export const variantFields = {
  sku: z.string(),
  title: z.string(),
  options: z.record(z.string(), z.string()),
  price: MoneySchema,
  compareAtPrice: MoneySchema.nullable(),
  weightGrams: z.int(),
  gtin: z.string().nullable(),
  giftCard: z.boolean().meta({ description: "Buying it issues a gift card of its price, emailed once the order is paid." }),
};

/** Fields every product view shares. */
export const productFields = {
  id: z.int(),
  slug: z.string(),
  title: z.string(),
  description: z.string(),
  brand: z.string().nullable(),
  publishedAt: timestamp.nullable(),
  updatedAt: timestamp,
  seoTitle: z.string().nullable(),
  seoDescription: z.string().nullable(),
  categories: productCategories,
  media: z.array(MediaRefSchema),
};

const StockDisplaySchema = z.object({
  status: z.enum(["in_stock", "low_stock", "out_of_stock"]),
  quantity: z.int().optional().meta({ description: "Only when stock is low." }),
});

/** A published product as shoppers see it: stock as a display state, not a count. */
export const PublicProductSchema = z
  .object({
    ...productFields,
    variants: z.array(z.object({ ...variantFields, available: z.boolean(), stock: StockDisplaySchema })),
  })
  .meta({ id: "Product" });

/** A product status. */
export const productStatus = z.enum(PRODUCT_STATUSES);

/** A category with its count of published products. */
export const CategorySchema = z
  .object({
    id: z.int(),
    slug: z.string(),
    name: z.string(),
    description: z.string(),
    parentId: z.int().nullable(),
    position: z.int(),
    productCount: z.int(),
  })
  .meta({ id: "Category" });

/** Every category. */
export const CategoryListSchema = z.object({ items: z.array(CategorySchema) }).meta({ id: "CategoryList" });

/** Type-ahead suggestions for search text. */
export const SuggestionsSchema = z
  .object({
    products: z.array(
      z.object({ title: z.string(), slug: z.string(), price: MoneySchema, image: z.string().nullable().describe("A small image URL.") }),
    ),
    categories: z.array(z.object({ name: z.string(), slug: z.string() })),
  })
  .meta({ id: "Suggestions" });

/** A cart: lines priced in the shop currency. */
export const CartSchema = z
  .object({
    id: z.uuid(),
    status: z.enum(["open", "checked_out"]),
    currency: z.string(),
    email: z.string().nullable(),
    remindMe: z.boolean(),
    orderId: z.string().nullable(),
    lines: z.array(
      z.object({
        sku: z.string(),
        productSlug: z.string(),
        title: z.string(),
        variantTitle: z.string(),
        quantity: z.int(),
        unitPrice: MoneySchema,
        lineTotal: MoneySchema,
      }),
    ),
    itemCount: z.int(),
    subtotal: MoneySchema,
    updatedAt: timestamp,
    expiresAt: timestamp,
    codes: z.array(z.string()).meta({ description: "Discount codes entered (upper-case)." }),
    discount: MoneySchema.optional().meta({ description: "What the discounts take off the lines (free shipping shows in a quote)." }),
    discounts: z
      .array(z.object({ code: z.string().nullable(), title: z.string(), amount: MoneySchema, freeShipping: z.boolean() }))
      .optional()
      .meta({ description: "Discounts that apply (automatic ones have no code); on reading a cart and changing its codes." }),
    refusedCodes: z
      .array(
        z.object({
          code: z.string(),
          reason: z.enum(["expired", "not_started", "minimum_not_met", "usage_limit_reached", "not_applicable"]),
        }),
      )
      .optional()
      .meta({ description: "Entered codes that do not apply now, and why." }),
  })
  .meta({ id: "Cart" });

/** What a cart costs delivered to a destination. */
export const QuoteSchema = z
  .object({
    subtotal: MoneySchema,
    discount: MoneySchema,
    discounts: z.array(z.object({ code: z.string().nullable(), title: z.string(), amount: MoneySchema })),
    shipping: MoneySchema,
    tax: MoneySchema,
    total: MoneySchema,
    taxIncluded: z.boolean(),
    taxName: z.string().nullable(),
    shippingMethod: z.string().nullable().meta({ description: "The chosen (or cheapest) method's id." }),
    shippingMethods: z.array(
      z.object({ id: z.string(), name: z.string(), amount: MoneySchema, minDays: z.int().nullable(), maxDays: z.int().nullable() }),
    ),
    lines: z.array(z.object({ sku: z.string(), quantity: z.int(), lineTotal: MoneySchema, discount: MoneySchema, tax: MoneySchema })),
  })
  .meta({ id: "Quote" });

/** The answer to a checkout: the order, its token, totals and where to pay. */
export const CheckoutAnswerSchema = z
  .object({
    orderId: z.string(),
    orderToken: z.string().meta({ description: "Opens the order at GET /api/orders/{id}; shown once." }),
    status: z.enum(["pending_payment", "paid"]).meta({ description: "`paid` when gift cards covered the whole total (no payment page)." }),
    subtotal: MoneySchema,
    discount: MoneySchema,
    shipping: MoneySchema,
    tax: MoneySchema,
    total: MoneySchema,
    giftCards: z
      .array(z.object({ last4: z.string(), amount: MoneySchema }))
      .meta({ description: "Gift cards that paid part of the total, by the last four characters of their codes." }),
    amountDue: MoneySchema.meta({ description: "What the payment page asks for: the total less the gift cards." }),
    taxIncluded: z.boolean(),
    shippingMethod: z.string().nullable(),
    holdExpiresAt: timestamp,
    payment: z.object({
      provider: z.string(),
      id: z.string(),
      status: z.enum(["requires_payment", "processing", "succeeded", "canceled"]),
      redirectUrl: z.string(),
    }),
  })
  .meta({ id: "CheckoutAnswer" });

/** SKUs with quantities. */
export const skuLines = z.array(z.object({ sku: z.string(), quantity: z.int() }));

/** A return's status. */
export const returnStatus = z.enum(RETURN_STATUSES);

/** A postal address. */
export const AddressSchema = z
  .object({
    name: z.string(),
    line1: z.string(),
    line2: z.string().optional(),
    city: z.string(),
    region: z.string().optional(),
    postalCode: z.string(),
    country: z.string(),
    phone: z.string().optional(),
  })
  .meta({ id: "Address" });

const orderFields = {
  id: z.string(),
  status: z.enum(ORDER_STATUSES),
  paymentStatus: z.enum(["unpaid", "paid", "partially_refunded", "refunded"]),
  fulfilmentStatus: z.enum(["unfulfilled", "partially_fulfilled", "fulfilled"]),
  email: z.string(),
  currency: z.string(),
  lines: z.array(
    z.object({
      sku: z.string(),
      title: z.string(),
      variantTitle: z.string(),
      quantity: z.int(),
      unitPrice: MoneySchema,
      lineTotal: MoneySchema,
      discount: MoneySchema,
      tax: MoneySchema,
      fulfilledQuantity: z.int(),
      refundedQuantity: z.int(),
      returnedQuantity: z.int(),
    }),
  ),
  subtotal: MoneySchema,
  discount: MoneySchema,
  discounts: z.array(z.object({ code: z.string().nullable(), title: z.string(), amount: MoneySchema })),
  shipping: MoneySchema,
  tax: MoneySchema,
  taxIncluded: z.boolean(),
  taxName: z.string().nullable(),
  total: MoneySchema,
  giftCards: z
    .array(z.object({ last4: z.string(), amount: MoneySchema }))
    .meta({ description: "Gift cards that paid part of the total, by the last four characters of their codes." }),
  amountDue: MoneySchema.meta({ description: "What the payment provider is (or was) asked for: the total less the gift cards." }),
  refunded: MoneySchema,
  shippingAddress: AddressSchema,
  shippingMethod: z.object({ id: z.string(), name: z.string() }).nullable(),
  payment: z.object({ provider: z.string().nullable(), id: z.string().nullable() }),
  paymentUrl: z.string().nullable().meta({ description: "Where to pay, while the order awaits payment." }),
  paidAt: timestamp.nullable(),
  holdExpiresAt: timestamp.nullable(),
  cancelReason: z.string().nullable(),
  createdAt: timestamp,
  updatedAt: timestamp,
  shipments: z.array(
    z.object({
      id: z.string(),
      carrier: z.string(),
      trackingNumber: z.string(),
      trackingUrl: z.string().nullable(),
      lines: skuLines,
      createdAt: timestamp,
    }),
  ),
  refunds: z.array(
    z.object({
      id: z.string(),
      amount: MoneySchema,
      toGiftCards: MoneySchema.meta({ description: "Of the amount, what went back onto gift cards." }),
      reason: z.string(),
      status: z.string(),
      source: z.string(),
      lines: skuLines.nullable(),
      createdAt: timestamp,
    }),
  ),
  returns: z.array(
    z.object({
      id: z.string(),
      status: returnStatus,
      reason: z.string(),
      lines: skuLines,
      note: z.string().nullable(),
      createdAt: timestamp,
      updatedAt: timestamp,
    }),
  ),
  tracking: z.array(
    z.object({ carrier: z.string(), trackingNumber: z.string(), status: z.string(), location: z.string().nullable(), at: timestamp }),
  ),
};

/** An order as its shopper sees it. */
export const ShopperOrderSchema = z.object(orderFields).meta({ id: "Order" });

/** An order with its whole timeline, for staff. */
export const StaffOrderSchema = z
  .object({
    ...orderFields,
    events: z.array(
      z.object({
        kind: z.enum(ORDER_EVENT_KINDS),
        from: z.string().nullable(),
        to: z.string(),
        applied: z.boolean(),
        reason: z.string().nullable(),
        detail: z.record(z.string(), z.unknown()).nullable(),
        actor: z.string(),
        at: timestamp,
      }),
    ),
  })
  .meta({ id: "StaffOrder" });

/** A shopper's return request as recorded. */
export const ReturnRequestedSchema = z
  .object({ id: z.string(), status: returnStatus, lines: skuLines, reason: z.string(), createdAt: timestamp })
  .meta({ id: "ReturnRequested" });
