import { Hono } from "hono";
import { COUNTRY_CODES } from "../../countries";
import type { AppEnv } from "../../env";
import { invalid } from "../../errors";
import { requestDb } from "../../request-db";
import { changeMethod, listZones, setTaxRate, taxRates } from "../../services/shipping-admin";
import { ShippingPage } from "../../views/admin/shipping";
import { adminContext, formAction, formOf, renderPage, text } from "./kit";

/** Admin page for shipping zones, methods and tax rates. */
export const shippingPages = new Hono<AppEnv>()
  .get("/", async (c) => {
    const ctx = adminContext(c);
    const db = requestDb(c);
    const [zones, rates] = await Promise.all([listZones(db), taxRates(db)]);
    return renderPage(c, ctx, <ShippingPage ctx={ctx} zones={zones} taxRates={rates} />);
  })
  .post("/methods/:id/offer", async (c) =>
    formAction(c, "/admin/shipping", "Method offered at checkout.", () => changeMethod(requestDb(c), c.req.param("id"), { active: true })),
  )
  .post("/methods/:id/withdraw", async (c) =>
    formAction(c, "/admin/shipping", "Method withdrawn from checkout.", () =>
      changeMethod(requestDb(c), c.req.param("id"), { active: false }),
    ),
  )
  .post("/tax-rates", async (c) => {
    const form = await formOf(c);
    return formAction(c, "/admin/shipping", "Tax rate set.", async () => {
      const country = text(form, "country").toUpperCase();
      const region = text(form, "region").toUpperCase();
      const name = text(form, "name").slice(0, 60);
      const percent = text(form, "rate").replace(",", ".");
      if (!COUNTRY_CODES.has(country)) throw invalid("invalid_request", "Use a two-letter country code such as DE.");
      if (region && !/^[A-Z0-9]{1,3}$/.test(region)) throw invalid("invalid_request", "Use a region code such as CA, or leave it empty.");
      if (!/^\d{1,2}(\.\d{1,2})?$/.test(percent)) throw invalid("invalid_request", "Type the rate in percent, such as 19 or 7.25.");
      if (!name) throw invalid("invalid_request", "Name the tax, such as VAT.");
      await setTaxRate(requestDb(c), {
        country,
        ...(region ? { region } : {}),
        name,
        rateBps: Math.round(Number(percent) * 100),
        inclusive: text(form, "inclusive") === "1",
      });
    });
  });
