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

/** The most rows one upload may carry (one call to a SKU's object each, within a request's limits). */
export const MAX_STOCK_ROWS = 500;

/** The records of a CSV text (quoted cells may hold separators, quotes and line breaks), with their first line numbers. */
function records(text: string, separator: string): { line: number; cells: string[] }[] {
  const out: { line: number; cells: string[] }[] = [];
  let cells: string[] = [];
  let cell = "";
  let quoted = false;
  let line = 1;
  let start = 1;
  const endRecord = () => {
    cells.push(cell.trim());
    if (cells.some((x) => x !== "")) out.push({ line: start, cells });
    cells = [];
    cell = "";
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else {
        if (ch === "\n") line++;
        cell += ch;
      }
    } else if (ch === '"') quoted = true;
    else if (ch === separator) {
      cells.push(cell.trim());
      cell = "";
    } else if (ch === "\n" || ch === "\r") {
      if (ch === "\r" && text[i + 1] === "\n") i++;
      endRecord();
      line++;
      start = line;
    } else cell += ch;
  }
  endRecord();
  return out;
}

/**
 * Reads a stock CSV with a header naming `sku` and either `on_hand` (set the counted figure) or
 * `adjust` (add or take away, with `reason`). Every row is checked; nothing is applied here.
 */
export function parseStockCsv(text: string, skuPattern: RegExp): { rows: StockCsvRow[]; problems: StockCsvProblem[] } {
  let body = text.replace(/^\uFEFF/, "");
  // A spreadsheet's `sep=;` first line names the separator; otherwise a header with ";" and no "," uses ";".
  const declared = /^sep=(.)\r?\n/i.exec(body);
  let firstLine = 1;
  if (declared) {
    body = body.slice(declared[0].length);
    firstLine = 2;
  }
  const headerLine = body.split(/\r?\n/, 1)[0] ?? "";
  const separator = declared?.[1] ?? (headerLine.includes(";") && !headerLine.includes(",") ? ";" : ",");
  const [head, ...data] = records(body, separator).map((r) => ({ ...r, line: r.line + firstLine - 1 }));
  const header = (head?.cells ?? []).map((h) => h.toLowerCase().replace(/[\s-]+/g, "_"));
  const col = (name: string) => header.indexOf(name);
  const [sku, onHand, adjust, reason] = [col("sku"), col("on_hand"), col("adjust"), col("reason")];
  if (sku < 0 || (onHand < 0 && adjust < 0)) {
    return {
      rows: [],
      problems: [
        { line: head?.line ?? 1, sku: "", problem: "The first line must name the columns: sku, and on_hand or adjust (with reason)." },
      ],
    };
  }
  const rows: StockCsvRow[] = [];
  const problems: StockCsvProblem[] = [];
  const seen = new Set<string>();
  for (const record of data) {
    const line = record.line;
    const c = record.cells;
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
