// `npm start`: prepares the local database with demo data, then serves the shop with wrangler dev.
import { spawn } from "node:child_process";
import { copyFileSync, existsSync } from "node:fs";
import { prepareLocalShop } from "./seed.mjs";

if (!existsSync(".dev.vars")) {
  copyFileSync(".dev.vars.example", ".dev.vars");
  process.stdout.write("Created .dev.vars from .dev.vars.example (local secrets).\n");
}
prepareLocalShop();

const port = process.env.PORT ?? "8787";
const child = spawn("wrangler", ["dev", "--port", port, "--ip", "127.0.0.1", ...process.argv.slice(2)], {
  stdio: "inherit",
});
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));
child.on("exit", (code) => process.exit(code ?? 0));
