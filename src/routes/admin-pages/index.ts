import { Hono } from "hono";
import type { AppEnv } from "../../env";
import { campaignPages, exportPages } from "./campaigns";
import { categoryPages } from "./categories";
import { customerPages, segmentPages } from "./customers";
import { dashboardPage } from "./dashboard";
import { discountPages } from "./discounts";
import { giftCardPages } from "./gift-cards";
import { infoPagePages } from "./info-pages";
import { inventoryPages } from "./inventory";
import { loyaltyPages } from "./loyalty";
import { operationPages } from "./operations";
import { orderPages } from "./orders";
import { productPages } from "./products";
import { returnPages } from "./returns";
import { reviewPages } from "./reviews";
import { shippingPages } from "./shipping";
import { staffPages } from "./staff";

/** The server-rendered admin UI under /admin (behind adminAuth). */
export const adminPages = new Hono<AppEnv>()
  .route("/", dashboardPage)
  .route("/products", productPages)
  .route("/categories", categoryPages)
  .route("/inventory", inventoryPages)
  .route("/orders", orderPages)
  .route("/returns", returnPages)
  .route("/customers", customerPages)
  .route("/segments", segmentPages)
  .route("/reviews", reviewPages)
  .route("/campaigns", campaignPages)
  .route("/discounts", discountPages)
  .route("/gift-cards", giftCardPages)
  .route("/loyalty", loyaltyPages)
  .route("/", exportPages)
  .route("/shipping", shippingPages)
  .route("/pages", infoPagePages)
  .route("/", operationPages)
  .route("/", staffPages);
