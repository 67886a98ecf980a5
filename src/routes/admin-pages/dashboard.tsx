import { Hono } from "hono";
import type { AppEnv } from "../../env";
import { requestDb } from "../../request-db";
import { dashboard } from "../../services/dashboard";
import { DashboardPage } from "../../views/admin/dashboard";
import { adminContext, renderPage } from "./kit";

/** The admin home page. */
export const dashboardPage = new Hono<AppEnv>().get("/", async (c) => {
  const ctx = adminContext(c);
  return renderPage(c, ctx, <DashboardPage ctx={ctx} data={await dashboard(requestDb(c), new Date())} />);
});
