import { Hono } from "hono";
import type { AppEnv } from "../../env";
import { requestDb } from "../../request-db";
import { costReport } from "../../services/cost";
import { dashboard } from "../../services/dashboard";
import { DashboardPage } from "../../views/admin/dashboard";
import { adminContext, renderPage } from "./kit";

/** The admin home page. */
export const dashboardPage = new Hono<AppEnv>().get("/", async (c) => {
  const ctx = adminContext(c);
  const now = new Date();
  const db = requestDb(c);
  const [data, cost] = await Promise.all([
    dashboard(db, now),
    ctx.permissions.has("jobs:read") ? costReport(db, new Date(now.getTime() - 86_400_000), now) : undefined,
  ]);
  return renderPage(c, ctx, <DashboardPage ctx={ctx} data={data} cost={cost} />);
});
