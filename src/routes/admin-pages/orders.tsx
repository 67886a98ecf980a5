import { type Context, Hono } from "hono";
import { randomToken } from "../../crypto";
import { parseDecimal } from "../../domain/money";
import { ORDER_STATUSES, type OrderStatus } from "../../domain/order";
import type { AppEnv } from "../../env";
import { invalid, notFound } from "../../errors";
import { adminActor } from "../../http/admin-auth";
import { requestDb } from "../../request-db";
import { CARRIER_TRACKING, fulfilOrder } from "../../services/fulfilment";
import { listNotifications, resendNotification } from "../../services/notifications";
import { cancelOrder, getOrder, listOrders } from "../../services/orders";
import { refundIdFor, refundOrderMoney } from "../../services/refunds";
import { type OrderActions, OrderPage } from "../../views/admin/order";
import { OrdersPage } from "../../views/admin/orders";
import { adminContext, formAction, formOf, pageOf, queryText, renderPage, text, texts } from "./kit";

const PAGE_SIZE = 25;
const DAY = /^\d{4}-\d{2}-\d{2}$/;
const REFUNDABLE = new Set<OrderStatus>(["paid", "fulfilled", "shipped", "delivered"]);

const dayStart = (day: string | undefined) =>
  day && DAY.test(day) && !Number.isNaN(Date.parse(day)) ? new Date(`${day}T00:00:00Z`) : undefined;

async function loadOrder(c: Context<AppEnv>) {
  const id = c.req.param("id") ?? "";
  const order = /^ord_[a-z0-9]{8,40}$/.test(id) ? await getOrder(requestDb(c), id) : undefined;
  if (!order) throw notFound("Order", id);
  return order;
}

/** Admin pages for orders: search, detail with the actions the order allows now. */
export const orderPages = new Hono<AppEnv>()
  .get("/", async (c) => {
    const ctx = adminContext(c);
    const q = queryText(c, "q");
    const statusParam = c.req.query("status");
    const status = (ORDER_STATUSES as readonly string[]).includes(statusParam ?? "") ? (statusParam as OrderStatus) : undefined;
    const fromDay = c.req.query("from");
    const toDay = c.req.query("to");
    const from = dayStart(fromDay);
    const toStart = dayStart(toDay);
    const to = toStart ? new Date(toStart.getTime() + 86_400_000) : undefined;
    const page = pageOf(c);
    const list = await listOrders(requestDb(c), { q, status, from, to, page, limit: PAGE_SIZE });
    return renderPage(
      c,
      ctx,
      <OrdersPage
        ctx={ctx}
        items={list.items}
        total={list.total}
        page={page}
        limit={PAGE_SIZE}
        query={{ q, status, from: from ? fromDay : undefined, to: to ? toDay : undefined }}
      />,
    );
  })
  .get("/:id", async (c) => {
    const ctx = adminContext(c);
    const order = await loadOrder(c);
    const owed = order.lines
      .map((l) => ({ sku: l.sku, title: l.title, owed: l.quantity - l.refundedQuantity - l.fulfilledQuantity }))
      .filter((l) => l.owed > 0);
    const remaining = order.total.amount - order.refunded.amount;
    const actions: OrderActions = {
      cancel: order.status === "pending_payment" || (order.status === "paid" && order.lines.every((l) => l.fulfilledQuantity === 0)),
      fulfil: ["paid", "fulfilled", "shipped"].includes(order.status) ? owed : [],
      refundable: REFUNDABLE.has(order.status) && remaining > 0 ? { amount: remaining, currency: order.currency } : null,
      refundKey: randomToken(12),
      carriers: [
        ...Object.entries(CARRIER_TRACKING).map(([id, c]) => ({ id, name: c.name })),
        { id: "other", name: "Other (give the link)" },
      ],
    };
    const emails = await listNotifications(requestDb(c), { orderId: order.id, limit: 50 });
    return renderPage(
      c,
      ctx,
      <OrderPage ctx={ctx} order={order} actions={actions} emails={emails.map((e) => ({ ...e, createdAt: new Date(e.createdAt) }))} />,
    );
  })
  .post("/:id/cancel", async (c) => {
    const order = await loadOrder(c);
    const reason = text(await formOf(c), "reason").slice(0, 200) || "cancelled by staff";
    return formAction(c, `/admin/orders/${order.id}`, "Order cancelled.", async () => {
      const moved = await cancelOrder(c.env, requestDb(c), order.id, { reason, actor: adminActor(c), now: new Date() });
      if (!moved.ok) throw invalid("illegal_transition", `An order that is ${order.status} cannot be cancelled.`);
    });
  })
  .post("/:id/fulfil", async (c) => {
    const order = await loadOrder(c);
    const form = await formOf(c);
    const quantities = texts(form, "quantity").map(Number);
    const lines = texts(form, "sku")
      .map((sku, i) => ({ sku, quantity: quantities[i] ?? 0 }))
      .filter((l) => Number.isInteger(l.quantity) && l.quantity > 0);
    const carrier = text(form, "carrier").toLowerCase();
    const trackingNumber = text(form, "trackingNumber");
    const trackingUrl = text(form, "trackingUrl");
    return formAction(c, `/admin/orders/${order.id}`, "Shipment recorded.", async () => {
      if (!lines.length) throw invalid("invalid_request", "Ship at least one unit.");
      if (!/^[a-z0-9-]{2,20}$/.test(carrier)) throw invalid("invalid_request", "Choose a carrier.");
      if (!/^[A-Za-z0-9 -]{3,64}$/.test(trackingNumber)) throw invalid("invalid_request", "Give the tracking number (letters and digits).");
      if (trackingUrl && !/^https:\/\//.test(trackingUrl)) throw invalid("invalid_request", "The tracking link must start with https://.");
      await fulfilOrder(c.env, requestDb(c), order.id, {
        lines,
        carrier,
        trackingNumber,
        ...(trackingUrl ? { trackingUrl } : {}),
        notify: text(form, "notify") === "1",
        actor: adminActor(c),
      });
    });
  })
  .post("/:id/refund", async (c) => {
    const order = await loadOrder(c);
    const form = await formOf(c);
    const typed = text(form, "amount");
    const reason = text(form, "reason").slice(0, 200);
    const key = text(form, "key");
    return formAction(c, `/admin/orders/${order.id}`, "Refund recorded.", async () => {
      const amount = typed ? parseDecimal(typed, order.currency) : undefined;
      if (typed && (amount === undefined || amount <= 0)) throw invalid("invalid_request", "Type the amount like 12.50.");
      if (!reason) throw invalid("invalid_request", "Give a reason for the refund.");
      await refundOrderMoney(c.env, requestDb(c), order.id, {
        ...(amount !== undefined ? { amount } : {}),
        reason,
        restock: text(form, "restock") === "1",
        source: "admin",
        actor: adminActor(c),
        ...(/^[A-Za-z0-9_-]{8,64}$/.test(key) ? { refundId: await refundIdFor(order.id, key) } : {}),
      });
    });
  })
  .post("/:id/emails/resend", async (c) => {
    const order = await loadOrder(c);
    const id = text(await formOf(c), "id");
    return formAction(c, `/admin/orders/${order.id}`, "Email queued again.", async () => {
      await resendNotification(c.env, requestDb(c), id, order.id);
    });
  });
