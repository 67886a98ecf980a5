// `npm run docs:config`: rewrites the README's configuration table from the settings schema in src/config.ts.
import { readFileSync, writeFileSync } from "node:fs";
import { SETTINGS } from "../src/config.ts";

const rows = Object.values(SETTINGS).map((s) => {
  const kind = s.source === "secret" ? (s.required ? "secret, required" : "secret, optional") : "var";
  const parsed = s.schema.safeParse(undefined);
  const fallback = parsed.success && parsed.data !== undefined ? parsed.data : undefined;
  const shown =
    fallback === undefined ? "" : ` Default: \`${typeof fallback === "object" ? JSON.stringify(fallback) : String(fallback)}\`.`;
  return `| \`${s.env}\` | ${kind} | ${s.doc}${shown} |`;
});
const table = ["| name | kind | meaning |", "| --- | --- | --- |", ...rows].join("\n");
const readme = readFileSync("README.md", "utf8");
const start = "<!-- config-table:start -->";
const end = "<!-- config-table:end -->";
const from = readme.indexOf(start);
const to = readme.indexOf(end);
if (from < 0 || to < 0) throw new Error(`README.md needs ${start} and ${end} around the configuration table`);
writeFileSync("README.md", `${readme.slice(0, from + start.length)}\n${table}\n${readme.slice(to)}`);
process.stdout.write(`README.md: ${rows.length} settings\n`);
