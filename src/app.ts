import { Hono, type MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { requestId } from "hono/request-id";
import { configOf } from "./config";
import type { AppEnv } from "./env";
import { notFound, tooLarge } from "./errors";
import { adminAuth } from "./http/admin-auth";
import { auditWrites } from "./http/audit-writes";
import { handleError } from "./http/error-handler";
import { preloadStylesheet } from "./http/preload";
import { rateLimits } from "./http/rate-limit";
import { securityHeaders } from "./http/security-headers";
import { apiDocsHtml } from "./openapi/docs-page";
import { openApiDocument } from "./openapi/documents";
import { accountPages } from "./routes/account-pages";
import { adminCampaigns } from "./routes/admin-campaigns";
import { adminCatalog } from "./routes/admin-catalog";
import { adminCustomers, adminSegments } from "./routes/admin-customers";
import { adminDiscounts } from "./routes/admin-discounts";
import { adminEvents } from "./routes/admin-events";
import { adminGiftCards } from "./routes/admin-gift-cards";
import { adminInfoPages } from "./routes/admin-info-pages";
import { adminInventory } from "./routes/admin-inventory";
import { adminJobs } from "./routes/admin-jobs";
import { adminLogin } from "./routes/admin-login";
import { adminLoyalty } from "./routes/admin-loyalty";
import { adminMedia } from "./routes/admin-media";
import { adminMetrics } from "./routes/admin-metrics";
import { adminOrders } from "./routes/admin-orders";
import { adminPages } from "./routes/admin-pages";
import { adminReturns } from "./routes/admin-returns";
import { adminReviews } from "./routes/admin-reviews";
import { adminShipping } from "./routes/admin-shipping";
import { adminStaff } from "./routes/admin-staff";
import { assets } from "./routes/assets";
import { cartPages } from "./routes/cart-pages";
import { cartsApi } from "./routes/carts-api";
import { checkoutPages } from "./routes/checkout-pages";
import { downloads } from "./routes/downloads";
import { feeds } from "./routes/feeds";
import { health } from "./routes/health";
import { infoPages } from "./routes/info-pages";
import { mediaRoutes } from "./routes/media";
import { newsletterPages } from "./routes/newsletter-pages";
import { orderPages } from "./routes/order-pages";
import { ordersApi } from "./routes/orders-api";
import { payTest } from "./routes/pay-test";
import { reviewPages } from "./routes/review-pages";
import { storeApi } from "./routes/store-api";
import { storePages } from "./routes/store-pages";
import { webhooks } from "./routes/webhooks";
import { shopOf } from "./services/shop";
import { stylesheetPreload } from "./views/assets";

const ADMIN_BODY_LIMIT = 1024 * 1024;

const adminBodyLimit = bodyLimit({
  maxSize: ADMIN_BODY_LIMIT,
  onError: () => {
    throw tooLarge(`Admin request bodies are limited to ${ADMIN_BODY_LIMIT} bytes.`);
  },
});

/** Lets job routes render pages through the app itself (the cache warm-up job). */
const lendFetchPage: MiddlewareHandler<AppEnv> = async function lendFetchPage(c, next) {
  c.set("fetchPage", async (request) => app.fetch(request, c.env, c.executionCtx));
  await next();
};

/** The Hono app: request id, security headers, stylesheet preload, routes, one error handler. */
export const app = new Hono<AppEnv>()
  .use(requestId())
  .use(async function countQueries(c, next) {
    c.set("dbQueries", 0);
    await next();
    if (!c.res.headers.has("X-D1-Queries")) c.res.headers.set("X-D1-Queries", String(c.get("dbQueries")));
  })
  .use(securityHeaders())
  .use(preloadStylesheet())
  .use(rateLimits())
  .route("/", health)
  // API descriptions
  .get("/api/openapi.json", async (c): Promise<Response> => c.json(await openApiDocument(app, "store")))
  .get(
    "/docs",
    async (c): Promise<Response> => c.html(await apiDocsHtml(app, shopOf(c.env).name), 200, { Link: stylesheetPreload("docs") }),
  )
  // Admin forms: an image upload at most, plus its fields.
  .use("/admin/*", async function adminPageBodyLimit(c, next) {
    if (c.req.path.startsWith("/admin/api/")) return next();
    const maxSize = configOf(c.env).mediaMaxBytes + 64 * 1024;
    return bodyLimit({
      maxSize,
      onError: () => {
        throw tooLarge(`Uploads are limited to ${maxSize} bytes.`);
      },
    })(c, next);
  })
  // Deny by default: everything under /admin needs a valid token, including routes added later.
  .use("/admin/*", adminAuth())
  // API descriptions: the admin document sits behind the admin auth.
  .get("/admin/api/openapi.json", async (c): Promise<Response> => c.json(await openApiDocument(app, "admin")))
  .use("/admin/*", auditWrites())
  .route("/admin", adminLogin)
  // Image uploads have their own, larger limit (MEDIA_MAX_BYTES) on their route.
  .use("/admin/api/*", async function adminJsonBodyLimit(c, next) {
    return c.req.path === "/admin/api/media" ? next() : adminBodyLimit(c, next);
  })
  .use("/admin/api/jobs/*", lendFetchPage)
  .use("/admin/jobs/*", lendFetchPage)
  .route("/admin/api/media", adminMedia)
  .route("/admin/api", adminCatalog)
  .route("/admin/api/pages", adminInfoPages)
  .route("/admin/api/inventory", adminInventory)
  .route("/admin/api/orders", adminOrders)
  .route("/admin/api/returns", adminReturns)
  .route("/admin/api/customers", adminCustomers)
  .route("/admin/api/segments", adminSegments)
  .route("/admin/api/reviews", adminReviews)
  .route("/admin/api", adminCampaigns)
  .route("/admin/api/discounts", adminDiscounts)
  .route("/admin/api/gift-cards", adminGiftCards)
  .route("/admin/api/loyalty", adminLoyalty)
  .route("/admin/api", adminShipping)
  .route("/admin/api", adminEvents)
  .route("/admin/api", adminJobs)
  .route("/admin/api", adminStaff)
  .route("/admin/api", adminMetrics)
  .route("/admin", adminPages)
  .route("/api/carts", cartsApi)
  .route("/api/orders", ordersApi)
  .route("/api", storeApi)
  .route("/media", mediaRoutes)
  .route("/webhooks", webhooks)
  .route("/", feeds)
  .route("/assets", assets)
  .route("/pay/test", payTest)
  .route("/", cartPages)
  .route("/", checkoutPages)
  .route("/", orderPages)
  .route("/", accountPages)
  .route("/", reviewPages)
  .route("/", newsletterPages)
  .route("/downloads", downloads)
  .route("/", infoPages)
  .route("/", storePages)
  .notFound((c) => {
    throw notFound("Route", `${c.req.method} ${c.req.path}`);
  })
  .onError(handleError);
