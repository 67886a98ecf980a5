// Fails when the built Worker (dist/, from `npm run build`) is over the gzipped size budget.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { gzipSync } from "node:zlib";

const LIMIT = 1024 * 1024;
const files = readdirSync("dist").filter((f) => /\.(m?js|wasm)$/.test(f));
if (!files.length) {
  console.error("dist/ has no built Worker; run `npm run build` first.");
  process.exit(1);
}
let raw = 0;
let gzipped = 0;
for (const file of files) {
  const bytes = readFileSync(`dist/${file}`);
  raw += statSync(`dist/${file}`).size;
  gzipped += gzipSync(bytes, { level: 9 }).length;
}
const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;
console.log(`Worker bundle: ${kib(raw)} raw, ${kib(gzipped)} gzipped (budget ${kib(LIMIT)} gzipped).`);
if (gzipped > LIMIT) {
  console.error("Bundle is over budget.");
  process.exit(1);
}
