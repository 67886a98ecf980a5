/** One row of a stock CSV: a counted figure (`on_hand`) or a change (`adjust`) for a SKU. */
export type StockCsvRow =
  | { line: number; sku: string; set: number; reason?: string }
  | { line: number; sku: string; adjust: number; reason: string };

/** A row the file cannot apply, with its line number and why. */
export interface StockCsvProblem {
  line: number;
  sku: string;
  problem: string;
}

/** The most rows one upload may carry. */
export const MAX_STOCK_ROWS = 2_000;

function cells(line: string): string[] {
  const out: string[] = [];
  let cur = "";
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cur += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === "," || ch === ";") {
      out.push(cur.trim());
      cur = "";
    } else cur += ch;
  }
  out.push(cur.trim());
  return out;
}

/**
 * Reads a stock CSV with a header naming `sku` and either `on_hand` (set the counted figure) or
 * `adjust` (add or take away, with `reason`). Every row is checked; nothing is applied here.
 */
export function parseStockCsv(text: string, skuPattern: RegExp): { rows: StockCsvRow[]; problems: StockCsvProblem[] } {
  const lines = text.replace(/^\uFEFF/, "").split(/\r?\n/);
  const header = cells(lines[0] ?? "").map((h) => h.toLowerCase().replace(/[\s-]+/g, "_"));
  const col = (name: string) => header.indexOf(name);
  const [sku, onHand, adjust, reason] = [col("sku"), col("on_hand"), col("adjust"), col("reason")];
  if (sku < 0 || (onHand < 0 && adjust < 0)) {
    return {
      rows: [],
      problems: [{ line: 1, sku: "", problem: "The first line must name the columns: sku, and on_hand or adjust (with reason)." }],
    };
  }
  const rows: StockCsvRow[] = [];
  const problems: StockCsvProblem[] = [];
  const seen = new Set<string>();
  for (let i = 1; i < lines.length; i++) {
    const raw = lines[i] ?? "";
    if (!raw.trim()) continue;
    const line = i + 1;
    const c = cells(raw);
    const s = c[sku] ?? "";
    const why = (problem: string) => problems.push({ line, sku: s, problem });
    if (rows.length + problems.length >= MAX_STOCK_ROWS) {
      why(`Upload at most ${MAX_STOCK_ROWS} rows at a time.`);
      break;
    }
    if (!skuPattern.test(s)) {
      why("Not a SKU.");
      continue;
    }
    if (seen.has(s)) {
      why("This SKU is listed twice.");
      continue;
    }
    seen.add(s);
    const setText = onHand >= 0 ? (c[onHand] ?? "") : "";
    const adjustText = adjust >= 0 ? (c[adjust] ?? "") : "";
    const note = reason >= 0 ? (c[reason] ?? "").slice(0, 200) : "";
    if (setText && adjustText) why("Give on_hand or adjust, not both.");
    else if (setText) {
      const n = Number(setText);
      if (!/^\d+$/.test(setText) || n > 100_000) why("on_hand must be a whole number from 0 to 100000.");
      else rows.push({ line, sku: s, set: n, ...(note ? { reason: note } : {}) });
    } else if (adjustText) {
      const n = Number(adjustText);
      if (!/^[+-]?\d+$/.test(adjustText) || n === 0 || Math.abs(n) > 100_000)
        why("adjust must be a whole number other than 0, at most 100000 either way.");
      else if (!note) why("An adjustment needs a reason.");
      else rows.push({ line, sku: s, adjust: n, reason: note });
    } else why("Give on_hand or adjust.");
  }
  return { rows, problems };
}
