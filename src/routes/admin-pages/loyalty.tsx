import { Hono } from "hono";
import { parseDecimal } from "../../domain/money";
import type { AppEnv } from "../../env";
import { adminActor } from "../../http/admin-auth";
import { requestDb } from "../../request-db";
import { loyaltySettingsOf, pointsHeld, saveLoyaltySettings } from "../../services/loyalty";
import { shopOf } from "../../services/shop";
import { fieldErrors } from "../../validation";
import { LoyaltyPage } from "../../views/admin/loyalty";
import { loyaltyBody } from "../admin-loyalty";
import { adminContext, formAction, formOf, redirectWith, renderPage, text } from "./kit";

/** The admin page for the points rules. */
export const loyaltyPages = new Hono<AppEnv>()
  .get("/", async (c) => {
    const ctx = adminContext(c);
    const db = requestDb(c);
    const [settings, members] = await Promise.all([loyaltySettingsOf(db), pointsHeld(db)]);
    return renderPage(c, ctx, <LoyaltyPage ctx={ctx} settings={settings} members={members} />);
  })
  .post("/", async (c) => {
    const form = await formOf(c);
    const whole = (name: string) => (/^\d+$/.test(text(form, name).trim()) ? Number(text(form, name).trim()) : Number.NaN);
    const parsed = loyaltyBody.safeParse({
      enabled: text(form, "enabled") === "yes",
      earnPerUnit: whole("earnPerUnit"),
      redeemStep: whole("redeemStep"),
      stepValue: parseDecimal(text(form, "stepValue").trim(), shopOf(c.env).currency),
      pendingDays: whole("pendingDays"),
      expiryDays: whole("expiryDays"),
    });
    if (!parsed.success) {
      const why = fieldErrors(parsed.error, "form")
        .map((e) => `${e.field}: ${e.message}`)
        .join("; ");
      return redirectWith(c, "/admin/loyalty", `The rules were not saved (${why}).`, "error");
    }
    return formAction(c, "/admin/loyalty", "Points rules saved.", () => saveLoyaltySettings(requestDb(c), parsed.data, adminActor(c)));
  });
