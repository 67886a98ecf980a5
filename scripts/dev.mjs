// `npm start`: prepares the local database with demo data, then serves the shop with wrangler dev.
import { spawn } from "node:child_process";
import { appendFileSync, copyFileSync, existsSync, readFileSync } from "node:fs";
import { createStaffMember } from "./admin-create.mjs";
import { prepareLocalShop } from "./seed.mjs";

if (!existsSync(".dev.vars")) {
  copyFileSync(".dev.vars.example", ".dev.vars");
  process.stdout.write("Created .dev.vars from .dev.vars.example (local secrets).\n");
} else {
  // Secrets added to the example since this .dev.vars was made are appended (existing values stay).
  const keys = (text) => new Set([...text.matchAll(/^([A-Z0-9_]+)=/gm)].map((m) => m[1]));
  const have = keys(readFileSync(".dev.vars", "utf8"));
  const missing = readFileSync(".dev.vars.example", "utf8")
    .split("\n")
    .filter((line) => /^([A-Z0-9_]+)=/.test(line) && !have.has(line.split("=")[0]));
  if (missing.length) {
    appendFileSync(".dev.vars", `\n${missing.join("\n")}\n`);
    process.stdout.write(`Added ${missing.map((l) => l.split("=")[0]).join(", ")} to .dev.vars from .dev.vars.example.\n`);
  }
}
const commandStarted = Date.now();
const { needsOwner } = await prepareLocalShop();

const port = process.env.PORT ?? "8787";
// Links, emails and payment return URLs follow the port the shop listens on.
const publicBase = `http://localhost:${port}`;
const child = spawn(
  "wrangler",
  [
    "dev",
    "--port",
    port,
    "--ip",
    "127.0.0.1",
    "--var",
    `PUBLIC_BASE_URL:${publicBase}`,
    "--var",
    "EMAIL_LOG_LINKS:shown",
    ...process.argv.slice(2),
  ],
  {
    stdio: "inherit",
  },
);
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));
child.on("exit", (code) => process.exit(code ?? 0));

// Once the shop answers, create the demo owner (first run only) through the admin API.
const base = `http://127.0.0.1:${port}`;
const DEMO_OWNER = { email: "owner@example.com", password: "edgefront-local-admin" };
const token = /^ADMIN_TOKEN=(.*)$/m.exec(readFileSync(".dev.vars", "utf8"))?.[1]?.trim();
for (let i = 0; i < 240; i++) {
  const up = await fetch(`${base}/healthz`).then(
    (r) => r.ok,
    () => false,
  );
  if (up) {
    process.stdout.write(
      `Shop with demo data and pictures ready in ${((Date.now() - commandStarted) / 1000).toFixed(1)} s: ${base.replace("127.0.0.1", "localhost")}\n`,
    );
    if (token && needsOwner) {
      // Local demo data only: production's first owner comes from `npm run admin:create` (see README).
      await createStaffMember({ base, token, ...DEMO_OWNER, role: "owner", name: "Demo Owner" }).then(
        () => process.stdout.write(`Demo owner created: sign in at ${base}/admin/login as ${DEMO_OWNER.email} / ${DEMO_OWNER.password}\n`),
        (err) => process.stdout.write(`Could not create the demo owner: ${err.message}\n`),
      );
    }
    break;
  }
  await new Promise((r) => setTimeout(r, 250));
}
