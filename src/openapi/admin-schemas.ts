import { z } from "zod";
import { RFM_SEGMENTS } from "../domain/customer";
import { INFO_PAGE_SLUGS } from "../domain/info-pages";
import { ORDER_STATUSES } from "../domain/order";
import { STAFF_ROLES } from "../domain/staff";
import {
  AddressSchema,
  CategorySchema,
  MoneySchema,
  productFields,
  productStatus,
  returnStatus,
  StaffOrderSchema,
  skuLines,
  timestamp,
  variantFields,
} from "./store-schemas";

const items = <T extends z.ZodType>(schema: T) => z.object({ items: z.array(schema) });

/** A product of any status, with each variant's available count. */
export const AdminProductSchema = z
  .object({
    ...productFields,
    status: productStatus,
    featured: z.boolean(),
    variants: z.array(z.object({ ...variantFields, available: z.int() })),
  })
  .meta({ id: "AdminProduct" });

/** One page of products for staff. */
export const AdminProductListSchema = z
  .object({
    items: z.array(
      z.object({
        id: z.int(),
        slug: z.string(),
        title: z.string(),
        status: productStatus,
        featured: z.boolean(),
        updatedAt: timestamp,
        variantCount: z.int(),
      }),
    ),
    page: z.int(),
    limit: z.int(),
    total: z.int(),
  })
  .meta({ id: "AdminProductList" });

/** A category as stored (no product count). */
export const CategoryRecordSchema = z
  .object({
    id: z.int(),
    slug: z.string(),
    name: z.string(),
    description: z.string(),
    parentId: z.int().nullable(),
    position: z.int(),
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .meta({ id: "CategoryRecord" });

/** Every category with its count of published products. */
export const AdminCategoryListSchema = items(CategorySchema);

/** Catalog writes, newest first. */
export const AuditListSchema = items(
  z
    .object({
      id: z.int(),
      at: timestamp,
      actor: z.string(),
      action: z.string(),
      entity: z.string(),
      entityId: z.string(),
      changes: z.record(z.string(), z.unknown()).nullable(),
      requestId: z.string().nullable(),
    })
    .meta({ id: "AuditEntry" }),
);

/** One page of orders, newest first. */
export const OrderListSchema = z
  .object({
    items: z.array(
      z.object({
        id: z.string(),
        status: z.enum(ORDER_STATUSES),
        email: z.string(),
        total: MoneySchema,
        refunded: MoneySchema,
        currency: z.string(),
        createdAt: timestamp,
      }),
    ),
    page: z.int(),
    limit: z.int(),
    total: z.int(),
  })
  .meta({ id: "OrderList" });

/** A refund as recorded. */
export const RefundSchema = z
  .object({
    id: z.string(),
    amount: MoneySchema,
    toGiftCards: MoneySchema,
    reason: z.string(),
    status: z.string(),
    lines: skuLines.nullable(),
  })
  .meta({ id: "Refund" });

/** The answer to a refund: the refund and the order after it. */
export const RefundAnswerSchema = z.object({ refund: RefundSchema, order: StaffOrderSchema }).meta({ id: "RefundAnswer" });

/** The answer to a fulfilment: the shipment id and the order after it. */
export const FulfilmentAnswerSchema = z.object({ shipmentId: z.string(), order: StaffOrderSchema }).meta({ id: "FulfilmentAnswer" });

/** A return with its order and refund. */
export const ReturnSchema = z
  .object({
    id: z.string(),
    orderId: z.string(),
    status: returnStatus,
    reason: z.string(),
    lines: skuLines,
    note: z.string().nullable(),
    refundId: z.string().nullable(),
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .meta({ id: "Return" });

/** Returns, newest first. */
export const ReturnListSchema = items(ReturnSchema);

/** The answer to refunding a return. */
export const ReturnRefundAnswerSchema = z.object({ return: ReturnSchema, refund: RefundSchema });

const stockFields = {
  sku: z.string(),
  onHand: z.int(),
  reserved: z.int(),
  available: z.int(),
  seq: z.int(),
  reservations: z.array(
    z.object({
      id: z.string(),
      quantity: z.int(),
      orderId: z.string().nullable(),
      state: z.enum(["active", "committed", "released", "expired"]),
      expiresAt: z.int().meta({ description: "Epoch milliseconds." }),
    }),
  ),
};

/** A SKU's stock and live reservations. */
export const StockSchema = z.object(stockFields).meta({ id: "Stock" });

/** A SKU's stock with its newest ledger movements. */
export const StockWithLedgerSchema = z
  .object({
    ...stockFields,
    ledger: z.array(
      z.object({
        seq: z.int(),
        at: z.int().meta({ description: "Epoch milliseconds." }),
        kind: z.string(),
        onHandDelta: z.int(),
        reservedDelta: z.int(),
        reservationId: z.string().nullable(),
        reason: z.string().nullable(),
        onHandAfter: z.int(),
        reservedAfter: z.int(),
      }),
    ),
  })
  .meta({ id: "StockWithLedger" });

const ShippingRateSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("flat"), amount: z.int() }),
  z.object({ type: z.literal("weight"), bands: z.array(z.object({ upToGrams: z.int(), amount: z.int() })) }),
  z.object({ type: z.literal("free_over"), amount: z.int(), threshold: z.int() }),
]);

/** A shipping method (amounts in minor units of the shop currency). */
export const ShippingMethodSchema = z
  .object({
    id: z.string(),
    zoneId: z.int(),
    name: z.string(),
    rate: ShippingRateSchema,
    minDays: z.int().nullable(),
    maxDays: z.int().nullable(),
    position: z.int(),
    active: z.boolean(),
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .meta({ id: "ShippingMethod" });

/** A shipping zone with its methods. */
export const ShippingZoneSchema = z
  .object({
    id: z.int(),
    name: z.string(),
    areas: z.array(z.string()),
    position: z.int(),
    createdAt: timestamp,
    updatedAt: timestamp,
    methods: z.array(ShippingMethodSchema),
  })
  .meta({ id: "ShippingZone" });

/** Every zone with its methods. */
export const ShippingZoneListSchema = items(ShippingZoneSchema);

/** A tax rate of a country or one of its regions (`*` for the whole country). */
export const TaxRateSchema = z
  .object({
    id: z.int(),
    country: z.string(),
    region: z.string(),
    name: z.string(),
    rateBps: z.int(),
    inclusive: z.boolean(),
    taxShipping: z.boolean(),
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .meta({ id: "TaxRate" });

/** Every tax rate. */
export const TaxRateListSchema = items(TaxRateSchema);

/** Stored provider events, newest first. */
export const WebhookEventListSchema = items(
  z
    .object({
      id: z.int(),
      provider: z.string(),
      eventId: z.string(),
      type: z.string(),
      status: z.enum(["processed", "ignored", "failed", "replayed"]),
      orderId: z.string().nullable(),
      message: z.unknown().meta({ description: "The queued message, replayed as is." }),
      attempts: z.int(),
      error: z.string().nullable(),
      receivedAt: timestamp,
      updatedAt: timestamp,
    })
    .meta({ id: "WebhookEvent" }),
);

/** The answer to a replay. */
export const ReplayAnswerSchema = z.object({ id: z.int(), status: z.literal("replayed") });

/** The answer to settling a test payment: the queued provider event's id. */
export const SettleAnswerSchema = z.object({ queued: z.string() });

/** The email log, newest first. */
export const NotificationListSchema = items(
  z
    .object({
      id: z.string(),
      type: z.string(),
      recipient: z.string(),
      orderId: z.string().nullable(),
      subject: z.string().nullable(),
      text: z.string().nullable().meta({ description: "The plain-text body as sent." }),
      status: z.enum(["queued", "sending", "sent", "failed"]),
      attempts: z.int(),
      error: z.string().nullable(),
      createdAt: timestamp,
      sentAt: timestamp.nullable(),
    })
    .meta({ id: "Notification" }),
);

/** Each scheduled job with its latest run and saved cursor. */
export const JobListSchema = items(
  z.object({
    job: z.string(),
    lastRun: z
      .object({
        id: z.int(),
        job: z.string(),
        trigger: z.string(),
        status: z.enum(["running", "ok", "failed"]),
        startedAt: timestamp,
        finishedAt: timestamp.nullable(),
        items: z.int(),
        errors: z.int(),
        cursor: z.string().nullable(),
        detail: z.record(z.string(), z.unknown()).nullable(),
      })
      .nullable(),
    cursor: z.string().nullable(),
  }),
);

/** What a manual job run did. */
export const JobRunSchema = z
  .object({
    id: z.int(),
    job: z.string(),
    status: z.enum(["ok", "failed"]),
    items: z.int(),
    errors: z.int(),
    cursor: z.string().nullable(),
    detail: z.record(z.string(), z.unknown()),
  })
  .meta({ id: "JobRun" });

/** Sales between two days from the nightly summaries. */
export const SalesReportSchema = z
  .object({
    from: z.string(),
    to: z.string(),
    currency: z.string(),
    totals: z.object({ ordersPaid: z.int(), units: z.int(), revenue: MoneySchema }),
    days: z.array(
      z.object({
        day: z.string(),
        currency: z.string(),
        ordersPlaced: z.int(),
        ordersPaid: z.int(),
        units: z.int(),
        revenue: MoneySchema,
        activeCarts: z.int(),
      }),
    ),
    topProducts: z.array(z.object({ productId: z.int(), title: z.string(), units: z.int(), revenue: MoneySchema })),
  })
  .meta({ id: "SalesReport" });

/** An uploaded image. */
export const MediaSchema = z
  .object({
    key: z.string(),
    url: z.string(),
    contentType: z.string(),
    size: z.int(),
    width: z.int(),
    height: z.int(),
    uploadedAt: timestamp,
  })
  .meta({ id: "Media" });

/** A staff member as owners see them (never the password hash). */
export const StaffMemberSchema = z
  .object({
    id: z.string(),
    email: z.string(),
    name: z.string(),
    role: z.enum(STAFF_ROLES),
    disabled: z.boolean(),
    lastLoginAt: timestamp.nullable(),
    createdAt: timestamp,
  })
  .meta({ id: "StaffMember" });

/** Every staff member. */
export const StaffListSchema = items(StaffMemberSchema);

/** The answer to creating a staff member. */
export const StaffCreatedSchema = z.object({ id: z.string(), email: z.string(), role: z.enum(STAFF_ROLES) });

/** An API token as owners see it (never the secret). */
export const ApiTokenSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    prefix: z.string().meta({ description: "The token's first characters, to tell tokens apart." }),
    scopes: z.array(z.string()),
    createdBy: z.string(),
    createdAt: timestamp,
    lastUsedAt: timestamp.nullable(),
    revoked: z.boolean(),
  })
  .meta({ id: "ApiToken" });

/** Every API token. */
export const ApiTokenListSchema = items(ApiTokenSchema);

/** A new token with its secret, shown this once. */
export const ApiTokenCreatedSchema = z.object({
  id: z.string(),
  name: z.string(),
  prefix: z.string(),
  scopes: z.array(z.string()),
  token: z.string().meta({ description: "The secret: send it as `Authorization: Bearer …`. Only its hash is kept." }),
  createdAt: timestamp,
});

/** Open staff sessions, newest activity first. */
export const SessionListSchema = items(
  z
    .object({
      id: z.string().meta({ description: "A prefix of the session's hash (never the cookie)." }),
      staffId: z.string(),
      email: z.string(),
      role: z.enum(STAFF_ROLES),
      createdAt: timestamp,
      lastSeenAt: timestamp,
      expiresAt: timestamp,
      userAgent: z.string(),
    })
    .meta({ id: "StaffSession" }),
);

/** Requests per class over a window, with errors, cache hits and mean wall time. */
export const MetricsSchema = z.object({
  from: timestamp,
  to: timestamp,
  classes: z.array(
    z.object({
      class: z.string(),
      requests: z.number(),
      status4xx: z.number(),
      status5xx: z.number(),
      cacheHits: z.number(),
      meanMs: z.number(),
      d1Statements: z.number(),
      doRequests: z.number(),
      kvReads: z.number(),
    }),
  ),
});

const usageRecord = z.record(z.string(), z.number());

/** What the shop cost to run over a window, per request class, at the dated price list. */
export const CostSchema = z.object({
  from: timestamp,
  to: timestamp,
  prices: z.object({ date: z.string(), currency: z.string() }),
  total: z.number().meta({ description: "Dollars over the window." }),
  orders: z.int(),
  perThousandOrders: z
    .number()
    .nullable()
    .meta({ description: "Dollars per thousand orders placed, from the classes an order goes through." }),
  classes: z.array(
    z.object({
      class: z.string(),
      requests: z.number(),
      usage: usageRecord,
      cost: z.object({ total: z.number(), perMillionRequests: z.number(), items: usageRecord }),
    }),
  ),
});

const infoPageFields = {
  slug: z.enum(INFO_PAGE_SLUGS),
  path: z.string().meta({ description: "Where shoppers read it." }),
  title: z.string(),
  edited: z.boolean().meta({ description: "False while the page shows its default text." }),
  updatedAt: timestamp.nullable(),
  updatedBy: z.string().nullable(),
};

/** An info page with its text (plain text: blank lines part paragraphs, lines starting with "- " are list items). */
export const InfoPageSchema = z.object({ ...infoPageFields, body: z.string() }).meta({ id: "InfoPage" });

/** The five info pages, in footer order. */
export const InfoPageListSchema = items(z.object(infoPageFields));

const customerFields = {
  id: z.string(),
  email: z.string(),
  name: z.string(),
  ordersCount: z.int().meta({ description: "Paid orders." }),
  lifetimeValue: MoneySchema.meta({ description: "Paid order totals less refunds." }),
  averageOrderValue: MoneySchema,
  firstOrderAt: timestamp.nullable(),
  lastOrderAt: timestamp.nullable(),
  segment: z.string().nullable(),
};

/** One page of customers. */
export const CustomerListSchema = z
  .object({ items: z.array(z.object(customerFields)), page: z.int(), limit: z.int(), hasMore: z.boolean() })
  .meta({ id: "CustomerList" });

/** A customer with orders, addresses, consent and segment history. */
export const CustomerDetailSchema = z
  .object({
    ...customerFields,
    phone: z.string().nullable(),
    verifiedAt: timestamp.nullable(),
    marketingConsent: z.boolean(),
    consentChangedAt: timestamp.nullable(),
    rfm: z.string().nullable(),
    createdAt: timestamp,
    orders: z.array(
      z.object({ id: z.string(), status: z.enum(ORDER_STATUSES), total: MoneySchema, refunded: MoneySchema, createdAt: timestamp }),
    ),
    savedAddresses: z.array(AddressSchema),
    shippingAddresses: z.array(AddressSchema),
    segmentHistory: z.array(z.object({ segment: z.string(), rfm: z.string().nullable(), at: timestamp })),
    merged: z.array(z.object({ id: z.string(), email: z.string() })),
  })
  .meta({ id: "CustomerDetail" });

/** The answer to a merge: the survivor after it, and whether this call merged anything. */
export const CustomerMergeAnswerSchema = z
  .object({ customer: CustomerDetailSchema, merged: z.boolean() })
  .meta({ id: "CustomerMergeAnswer" });

/** Rules of a staff-defined segment (every given rule must hold). */
export const SegmentRulesSchema = z
  .object({
    minSpent: z.int().min(0).max(1_000_000_000).optional().meta({ description: "Lifetime value at least this (minor units)." }),
    minOrders: z.int().min(0).max(100_000).optional(),
    lastOrderBefore: z.iso.date().optional(),
    lastOrderAfter: z.iso.date().optional(),
    consent: z.boolean().optional(),
    rfmSegments: z.array(z.enum(RFM_SEGMENTS)).max(6).optional(),
  })
  .strict()
  .meta({ id: "SegmentRules" });

/** A segment with how many customers it holds now. */
export const SegmentSchema = z
  .object({
    slug: z.string(),
    name: z.string(),
    kind: z.enum(["scored", "rules"]),
    rules: SegmentRulesSchema.nullable(),
    customers: z.int(),
  })
  .meta({ id: "Segment" });

export const SegmentListSchema = items(SegmentSchema);

/** A review as moderation shows it. */
export const ReviewSchema = z
  .object({
    id: z.string(),
    productId: z.int(),
    productTitle: z.string().nullable(),
    productSlug: z.string().nullable(),
    customerId: z.string(),
    rating: z.int().min(1).max(5),
    title: z.string(),
    body: z.string(),
    authorName: z.string(),
    status: z.enum(["pending", "approved", "rejected"]),
    flags: z.array(z.string()).meta({ description: "Why the automatic rules want a look: link, banned_word, too_short." }),
    createdAt: timestamp,
    moderatedAt: timestamp.nullable(),
    moderatedBy: z.string().nullable(),
  })
  .meta({ id: "Review" });

export const ReviewListSchema = items(ReviewSchema);

/** A campaign with how its emails stand. */
export const CampaignSchema = z
  .object({
    id: z.string(),
    subject: z.string(),
    body: z.string(),
    productIds: z.array(z.int()),
    segment: z.string(),
    status: z
      .enum(["draft", "sending", "sent"])
      .meta({ description: "`sent`: every recipient is queued (sending may still be under way)." }),
    recipients: z.int(),
    queued: z.int(),
    sent: z.int(),
    failed: z.int(),
    unsubscribed: z.int(),
    createdBy: z.string(),
    createdAt: timestamp,
    sendStartedAt: timestamp.nullable(),
    expandedAt: timestamp.nullable(),
  })
  .meta({ id: "Campaign" });

export const CampaignListSchema = items(CampaignSchema);

/** A segment export: queued, then written with a signed download link (15 minutes, fresh on every read). */
export const ExportSchema = z
  .object({
    id: z.string(),
    segment: z.string(),
    status: z.enum(["queued", "done", "failed"]),
    rows: z.int(),
    error: z.string().nullable(),
    createdAt: timestamp,
    finishedAt: timestamp.nullable(),
    downloadUrl: z.string().nullable(),
  })
  .meta({ id: "Export" });

/** A discount as staff see it. */
export const DiscountSchema = z
  .object({
    id: z.string(),
    title: z.string(),
    kind: z.enum(["percentage", "fixed", "free_shipping", "buy_x_get_y"]),
    value: z.int(),
    buyQuantity: z.int().nullable(),
    getQuantity: z.int().nullable(),
    productIds: z.array(z.int()),
    categoryIds: z.array(z.int()),
    automatic: z.boolean(),
    usageLimit: z.int().nullable(),
    perCustomerLimit: z.int().nullable(),
    minimumSubtotal: z.int().nullable(),
    startsAt: timestamp.nullable(),
    endsAt: timestamp.nullable(),
    firstOrderOnly: z.boolean(),
    segment: z.string().nullable(),
    combinable: z.boolean(),
    active: z.boolean(),
    used: z.int().meta({ description: "Uses held now (orders not cancelled or expired)." }),
    orders: z.int(),
    discounted: z.int().meta({ description: "Minor units taken off those orders." }),
    codes: z.int().nullable(),
    createdAt: timestamp,
  })
  .meta({ id: "Discount" });

export const DiscountListSchema = items(DiscountSchema);

const giftCardFields = {
  id: z.string(),
  last4: z.string().meta({ description: "The code's last four characters (the code itself is shown only when issued)." }),
  balance: MoneySchema,
  initialAmount: MoneySchema,
  expiresAt: timestamp.nullable(),
  disabled: z.boolean(),
  recipientEmail: z.string().nullable(),
  note: z.string().nullable(),
  source: z.enum(["staff", "order"]),
  orderId: z.string().nullable().meta({ description: "The order that bought it, for a card bought as a product." }),
  createdBy: z.string(),
  createdAt: timestamp,
};

/** A gift card with its balance and ledger. */
export const GiftCardSchema = z
  .object({
    ...giftCardFields,
    ledger: z.array(
      z.object({
        kind: z.enum(["issue", "debit", "reverse", "credit", "adjust"]),
        amount: MoneySchema.meta({ description: "Signed: debits are negative." }),
        balance: MoneySchema,
        orderId: z.string().nullable(),
        reference: z.string().nullable(),
        at: timestamp,
      }),
    ),
  })
  .meta({ id: "GiftCard" });

/** A just-issued card: the only answer that carries its code. */
export const IssuedGiftCardSchema = z.object({ ...giftCardFields, code: z.string() }).meta({ id: "IssuedGiftCard" });

export const GiftCardListSchema = items(z.object(giftCardFields).meta({ id: "GiftCardSummary" }));

/** The shop's loyalty points rules. */
export const LoyaltySettingsSchema = z
  .object({
    enabled: z.boolean(),
    earnPerUnit: z.int().meta({ description: "Points per whole unit of currency spent on goods (after discounts)." }),
    redeemStep: z.int().meta({ description: "Points are spent in steps of this many…" }),
    stepValue: z.int().meta({ description: "…each worth this much off (minor units)." }),
    pendingDays: z.int().meta({ description: "Days after payment before earned points can be spent." }),
    expiryDays: z.int().meta({ description: "Days spendable points last; 0 never expire." }),
  })
  .meta({ id: "LoyaltySettings" });

/** A customer's loyalty points. */
export const PointsAccountSchema = z
  .object({
    available: z.int(),
    pending: z.int(),
    nextExpiry: z.number().nullable().meta({ description: "When the soonest spendable points expire (epoch ms)." }),
    entries: z.array(
      z.object({
        kind: z.enum(["earn", "confirm", "reverse", "redeem", "restore", "expire", "grant"]),
        points: z.int(),
        orderId: z.string().nullable(),
        at: z.number(),
      }),
    ),
  })
  .meta({ id: "PointsAccount" });
