// `npm run admin:create -- --email you@example.com [--role owner|staff|viewer] [--name "Your Name"] [--url https://shop.example.com]`
// Creates a staff account through POST /admin/api/staff with the ADMIN_TOKEN bearer. The token comes from
// the ADMIN_TOKEN environment variable, or from .dev.vars for the local shop. The password is asked for
// (hidden) on a terminal, or read from ADMIN_PASSWORD when there is none.
import { existsSync, readFileSync } from "node:fs";
import { createInterface } from "node:readline";
import { parseArgs } from "node:util";

/** Creates a staff member on a running shop; returns the answer's JSON or throws with its problem. */
export async function createStaffMember({ base, token, email, password, role = "owner", name }) {
  const res = await fetch(new URL("/admin/api/staff", base), {
    method: "POST",
    headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
    body: JSON.stringify({ email, password, role, ...(name ? { name } : {}) }),
  });
  const body = await res.json().catch(() => ({}));
  if (res.status !== 201) {
    const fields = (body.errors ?? []).map((e) => `${e.field}: ${e.message}`).join("; ");
    throw new Error(`${res.status} ${body.detail ?? res.statusText}${fields ? ` (${fields})` : ""}`);
  }
  return body;
}

function askHidden(question) {
  return new Promise((resolve) => {
    const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: true });
    rl._writeToOutput = (text) => {
      if (text.includes(question)) process.stdout.write(text);
    };
    rl.question(question, (answer) => {
      rl.close();
      process.stdout.write("\n");
      resolve(answer);
    });
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: {
      email: { type: "string" },
      role: { type: "string", default: "owner" },
      name: { type: "string" },
      url: { type: "string", default: `http://127.0.0.1:${process.env.PORT ?? "8787"}` },
    },
  });
  if (!values.email) {
    process.stderr.write("Usage: npm run admin:create -- --email you@example.com [--role owner|staff|viewer] [--name Name] [--url URL]\n");
    process.exit(2);
  }
  const local = /^http:\/\/(127\.0\.0\.1|localhost)(:\d+)?/.test(values.url);
  const fromDevVars =
    local && existsSync(".dev.vars") ? /^ADMIN_TOKEN=(.*)$/m.exec(readFileSync(".dev.vars", "utf8"))?.[1]?.trim() : undefined;
  const token = process.env.ADMIN_TOKEN ?? fromDevVars;
  if (!token) {
    process.stderr.write("Set ADMIN_TOKEN to the shop's bootstrap token (the secret you put with `wrangler secret put ADMIN_TOKEN`).\n");
    process.exit(2);
  }
  let password = process.env.ADMIN_PASSWORD;
  if (!password && process.stdin.isTTY) {
    password = await askHidden("Password (12 characters or more): ");
    if ((await askHidden("Again: ")) !== password) {
      process.stderr.write("The two passwords differ.\n");
      process.exit(1);
    }
  }
  if (!password) {
    process.stderr.write("Give the password on a terminal, or in ADMIN_PASSWORD.\n");
    process.exit(2);
  }
  try {
    const member = await createStaffMember({
      base: values.url,
      token,
      email: values.email,
      password,
      role: values.role,
      name: values.name,
    });
    process.stdout.write(`Created ${member.role} ${member.email} (${member.id}). Sign in at ${new URL("/admin/login", values.url)}\n`);
  } catch (err) {
    process.stderr.write(`Could not create the account: ${err.message}\n`);
    process.exit(1);
  }
}
