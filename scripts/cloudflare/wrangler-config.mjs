// Reading and writing one environment's block of wrangler.toml as text (comments and layout stay as they are).

/** Ids wrangler.toml ships with until `npm run setup:cloudflare` writes real ones. */
export const isPlaceholder = (id) => /^[0-]+[0-9]$/.test(id);

/** The lines of `[env.<env>…]` tables, with their table names. */
function envTables(text, env) {
  const lines = text.split("\n");
  const tables = [];
  let current;
  lines.forEach((line, i) => {
    const header = /^\s*\[\[?([^\]]+)\]\]?\s*$/.exec(line);
    if (header) {
      const name = header[1].trim();
      current = name === `env.${env}` || name.startsWith(`env.${env}.`) ? { name, start: i, end: i } : undefined;
      if (current) tables.push(current);
    } else if (current) current.end = i;
  });
  return { lines, tables };
}

/** Every `key = "value"` in the env's tables named `table` (e.g. `d1_databases`), in order. */
export function valuesOf(text, env, table, key) {
  const { lines, tables } = envTables(text, env);
  const out = [];
  for (const t of tables.filter((t) => t.name === `env.${env}.${table}`)) {
    for (let i = t.start + 1; i <= t.end; i++) {
      const m = new RegExp(`^\\s*${key}\\s*=\\s*"([^"]*)"`).exec(lines[i]);
      if (m) out.push(m[1]);
    }
  }
  return out;
}

/** Sets `key` in the first env table named `table` whose `match` key has `matchValue` (or the first one). */
export function setValue(text, env, table, key, value, match) {
  const { lines, tables } = envTables(text, env);
  for (const t of tables.filter((t) => t.name === `env.${env}.${table}`)) {
    const body = lines.slice(t.start + 1, t.end + 1);
    if (match && !body.some((l) => new RegExp(`^\\s*${match.key}\\s*=\\s*"${match.value}"`).test(l))) continue;
    for (let i = t.start + 1; i <= t.end; i++) {
      if (new RegExp(`^\\s*${key}\\s*=`).test(lines[i])) {
        lines[i] = lines[i].replace(/=\s*"[^"]*"/, `= "${value}"`);
        return lines.join("\n");
      }
    }
  }
  throw new Error(`wrangler.toml has no [[env.${env}.${table}]] with ${key}`);
}

/** Whether the env block sets a key (such as `routes`, `route` or `workers_dev = true`). */
export function envHas(text, env, pattern) {
  const { lines, tables } = envTables(text, env);
  const top = tables.find((t) => t.name === `env.${env}`);
  if (!top) return false;
  return lines.slice(top.start + 1, top.end + 1).some((l) => pattern.test(l));
}

/** The env's `[vars]` value of a name, if set. */
export function envVar(text, env, name) {
  return valuesOf(text, env, "vars", name)[0];
}

/** The environments wrangler.toml defines. */
export const ENVIRONMENTS = ["staging", "production"];

/** Reads `--env <name>` from argv; exits with usage when missing or unknown. */
export function envArg(argv, usage) {
  const i = argv.indexOf("--env");
  const env = i >= 0 ? argv[i + 1] : argv.find((a) => a.startsWith("--env="))?.slice(6);
  if (!env || !ENVIRONMENTS.includes(env)) {
    process.stderr.write(`${usage}\n`);
    process.exit(2);
  }
  return env;
}
