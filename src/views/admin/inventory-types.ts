/** A stock upload's outcome as the page shows it. */
export interface StockImportReportView {
  applied: { line: number; sku: string; before: number | null; after: number }[];
  problems: { line: number; sku: string; problem: string }[];
  repeated?: boolean;
}
