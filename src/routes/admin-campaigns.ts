import { Hono } from "hono";
import { describeRoute } from "hono-openapi";
import { z } from "zod";
import type { AppEnv } from "../env";
import { invalid } from "../errors";
import { adminActor } from "../http/admin-auth";
import { CampaignListSchema, CampaignSchema, ExportSchema } from "../openapi/admin-schemas";
import { jsonBody, problems } from "../openapi/responses";
import { requestDb } from "../request-db";
import { createCampaign, getCampaign, listCampaigns, sendCampaign, sendTestCampaign, updateCampaign } from "../services/campaigns";
import { exportView, requestSegmentExport } from "../services/exports";
import { validate } from "../validation";

const campaignIdParam = z.object({ id: z.string().regex(/^cmp_[0-9a-f]{20}$/, "Not a campaign id.") });

/** What staff compose: the text (blank lines part paragraphs) and up to 6 product blocks, for one segment. */
export const campaignBody = z
  .object({
    subject: z.string().trim().min(1).max(150),
    body: z.string().trim().min(1).max(20_000),
    productIds: z.array(z.int().positive()).max(6).default([]),
    segment: z
      .string()
      .trim()
      .regex(/^[a-z0-9][a-z0-9_-]{0,39}$/, "Not a segment name."),
  })
  .strict();

const campaignAnswer = (summary: string, description: string, status: 200 | 201 | 202 = 200, errors: number[] = [404]) =>
  describeRoute({
    tags: ["Campaigns"],
    summary,
    description,
    responses: { [status]: jsonBody("The campaign.", CampaignSchema), ...problems(...errors) },
  });

/** Admin campaigns: compose, test, send, follow; and segment exports. */
export const adminCampaigns = new Hono<AppEnv>()
  .get(
    "/campaigns",
    describeRoute({
      tags: ["Campaigns"],
      summary: "List campaigns",
      responses: { 200: jsonBody("Campaigns, newest first, with their counts.", CampaignListSchema) },
    }),
    async (c) => c.json(await listCampaigns(requestDb(c))),
  )
  .post(
    "/campaigns",
    campaignAnswer("Compose a campaign", "A draft for a segment (scored or staff-defined).", 201, [400, 404]),
    validate("json", campaignBody),
    async (c) => c.json(await createCampaign(requestDb(c), c.req.valid("json"), adminActor(c)), 201),
  )
  .get(
    "/campaigns/:id",
    campaignAnswer("Get a campaign", "With queued, sent, failed and unsubscribed counts."),
    validate("param", campaignIdParam),
    async (c) => c.json(await getCampaign(requestDb(c), c.req.valid("param").id)),
  )
  .patch(
    "/campaigns/:id",
    campaignAnswer("Change a draft", "409 `campaign_not_draft` once sending started.", 200, [400, 404, 409]),
    validate("param", campaignIdParam),
    validate("json", campaignBody),
    async (c) => c.json(await updateCampaign(requestDb(c), c.req.valid("param").id, c.req.valid("json"))),
  )
  .post(
    "/campaigns/:id/test",
    describeRoute({
      tags: ["Campaigns"],
      summary: "Send a test",
      description: "To `to`, or to the signed-in staff member; subject marked [Test]; counts for nothing.",
      responses: { 202: jsonBody("Queued.", z.object({ queued: z.string(), to: z.string() })), ...problems(400, 404) },
    }),
    validate("param", campaignIdParam),
    validate("json", z.object({ to: z.email().max(254).optional() }).strict()),
    async (c) => {
      const principal = c.get("admin");
      const to = c.req.valid("json").to ?? principal?.email;
      if (!to)
        throw invalid("recipient_required", "Say who gets the test.", [
          { field: "to", in: "json", message: "Required with an API token." },
        ]);
      return c.json(await sendTestCampaign(c.env, requestDb(c), c.req.valid("param").id, to), 202);
    },
  )
  .post(
    "/campaigns/:id/send",
    campaignAnswer(
      "Send a campaign",
      "Recipients (consenting members of the segment) are expanded in queued batches; each gets it once however often a batch is retried. Asking again changes nothing.",
      202,
    ),
    validate("param", campaignIdParam),
    async (c) => c.json(await sendCampaign(c.env, requestDb(c), c.req.valid("param").id), 202),
  )
  .post(
    "/segments/:slug/exports",
    describeRoute({
      tags: ["Customers"],
      summary: "Export a segment as CSV",
      description: "A queued job writes the file to R2; read the export for its progress and a signed download link.",
      responses: { 202: jsonBody("The export, queued.", ExportSchema), ...problems(404) },
    }),
    validate("param", z.object({ slug: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,39}$/, "Not a segment name.") })),
    async (c) => c.json(await requestSegmentExport(c.env, requestDb(c), c.req.valid("param").slug, adminActor(c)), 202),
  )
  .get(
    "/exports/:id",
    describeRoute({
      tags: ["Customers"],
      summary: "Get an export",
      responses: { 200: jsonBody("The export.", ExportSchema), ...problems(404) },
    }),
    validate("param", z.object({ id: z.string().regex(/^exp_[0-9a-f]{20}$/, "Not an export id.") })),
    async (c) => c.json(await exportView(c.env, requestDb(c), c.req.valid("param").id)),
  );
