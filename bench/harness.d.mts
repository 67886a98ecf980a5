import type { Miniflare } from "miniflare";

export function buildWorker(): string;
export function freePort(): Promise<number>;
export function startShop(
  scriptPath?: string,
  vars?: Record<string, string>,
  port?: number,
): Promise<{ mf: Miniflare; url: string; adminToken: string }>;
export function applyMigrations(db: { prepare(query: string): { run(): Promise<unknown> } }): Promise<void>;
