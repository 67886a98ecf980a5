import { Hono } from "hono";
import { RETURN_STATUSES } from "../../domain/order";
import type { AppEnv } from "../../env";
import { adminActor } from "../../http/admin-auth";
import { requestDb } from "../../request-db";
import { approveReturn, receiveReturn, refundReturn, rejectReturn, returnsList } from "../../services/returns";
import { ReturnsPage } from "../../views/admin/returns";
import { adminContext, formAction, formOf, renderPage, text } from "./kit";

type ReturnStatus = (typeof RETURN_STATUSES)[number];

/** Admin pages for returns: approve, reject, receive, refund. */
export const returnPages = new Hono<AppEnv>()
  .get("/", async (c) => {
    const ctx = adminContext(c);
    const s = c.req.query("status");
    const status = (RETURN_STATUSES as readonly string[]).includes(s ?? "") ? (s as ReturnStatus) : undefined;
    const items = await returnsList(requestDb(c), { status, limit: 100 });
    return renderPage(c, ctx, <ReturnsPage ctx={ctx} items={items} status={status} />);
  })
  .post("/:id/approve", async (c) => {
    const note = text(await formOf(c), "note").slice(0, 500) || undefined;
    return formAction(c, "/admin/returns", "Return approved; the customer has the instructions.", () =>
      approveReturn(c.env, requestDb(c), c.req.param("id"), note, adminActor(c)),
    );
  })
  .post("/:id/reject", async (c) => {
    const note = text(await formOf(c), "note").slice(0, 500);
    return formAction(c, "/admin/returns", "Return rejected.", () =>
      rejectReturn(c.env, requestDb(c), c.req.param("id"), note || "rejected", adminActor(c)),
    );
  })
  .post("/:id/receive", async (c) =>
    formAction(c, "/admin/returns", "Return received; its units are back in stock.", () =>
      receiveReturn(c.env, requestDb(c), c.req.param("id"), adminActor(c)),
    ),
  )
  .post("/:id/refund", async (c) =>
    formAction(c, "/admin/returns", "Return refunded.", () => refundReturn(c.env, requestDb(c), c.req.param("id"), adminActor(c))),
  );
