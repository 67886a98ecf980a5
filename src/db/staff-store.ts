import { and, count, desc, eq, gt, isNull, lt, ne, or, sql } from "drizzle-orm";
import type { Db } from "./index";
import { apiTokens, staff, staffSessions } from "./schema";

export type StaffRow = typeof staff.$inferSelect;
export type SessionRow = typeof staffSessions.$inferSelect;
export type TokenRow = typeof apiTokens.$inferSelect;

/** Creates a staff member; false if the email is taken. */
export async function insertStaff(
  db: Db,
  row: Omit<StaffRow, "disabledAt" | "lastLoginAt" | "createdAt" | "updatedAt">,
  now: Date,
): Promise<boolean> {
  const inserted = await db
    .insert(staff)
    .values({ ...row, createdAt: now, updatedAt: now })
    .onConflictDoNothing()
    .returning({ id: staff.id });
  return inserted.length === 1;
}

/** A staff member by email (lower-cased). */
export async function staffByEmail(db: Db, email: string): Promise<StaffRow | undefined> {
  const [row] = await db.select().from(staff).where(eq(staff.email, email)).limit(1);
  return row;
}

/** A staff member by id. */
export async function staffById(db: Db, id: string): Promise<StaffRow | undefined> {
  const [row] = await db.select().from(staff).where(eq(staff.id, id)).limit(1);
  return row;
}

/** Everyone, owners first. */
export async function listStaff(db: Db): Promise<StaffRow[]> {
  return db.select().from(staff).orderBy(staff.role, staff.email);
}

/** Changes a member's role, name, password or whether they are disabled. */
export async function updateStaff(
  db: Db,
  id: string,
  set: Partial<Pick<StaffRow, "role" | "name" | "passwordHash" | "disabledAt" | "lastLoginAt">>,
  now: Date,
): Promise<boolean> {
  const rows = await db
    .update(staff)
    .set({ ...set, updatedAt: now })
    .where(eq(staff.id, id))
    .returning({ id: staff.id });
  return rows.length === 1;
}

/**
 * Changes a member only while another active owner remains (the guard and the write are one
 * statement, so two owners removed at once cannot both succeed); false when refused.
 */
export async function updateStaffKeepingAnOwner(
  db: Db,
  id: string,
  set: Partial<Pick<StaffRow, "role" | "disabledAt">>,
  now: Date,
): Promise<boolean> {
  const others = db
    .select({ n: count() })
    .from(staff)
    .where(and(eq(staff.role, "owner"), isNull(staff.disabledAt), ne(staff.id, id)));
  const rows = await db
    .update(staff)
    .set({ ...set, updatedAt: now })
    .where(and(eq(staff.id, id), sql`(${others}) >= 1`))
    .returning({ id: staff.id });
  return rows.length === 1;
}

/** Stores a new session. */
export async function insertSession(db: Db, row: Omit<SessionRow, "revokedAt">): Promise<void> {
  await db.insert(staffSessions).values(row);
}

/** A live session (not revoked, not past either expiry) with its staff member. */
export async function liveSession(db: Db, tokenHash: string, now: Date, idleMs: number) {
  const [row] = await db
    .select({ session: staffSessions, member: staff })
    .from(staffSessions)
    .innerJoin(staff, eq(staff.id, staffSessions.staffId))
    .where(
      and(
        eq(staffSessions.tokenHash, tokenHash),
        isNull(staffSessions.revokedAt),
        gt(staffSessions.expiresAt, now),
        gt(staffSessions.lastSeenAt, new Date(now.getTime() - idleMs)),
        isNull(staff.disabledAt),
      ),
    )
    .limit(1);
  return row;
}

/** Notes that a session was used now (its idle expiry moves on). */
export async function touchSession(db: Db, tokenHash: string, now: Date): Promise<void> {
  await db.update(staffSessions).set({ lastSeenAt: now }).where(eq(staffSessions.tokenHash, tokenHash));
}

/** Ends one session, or every session of a member (but `except`, the one they are using). */
export async function revokeSessions(db: Db, by: { tokenHash: string } | { staffId: string; except?: string }, now: Date): Promise<number> {
  const rows = await db
    .update(staffSessions)
    .set({ revokedAt: now })
    .where(
      and(
        "tokenHash" in by ? eq(staffSessions.tokenHash, by.tokenHash) : eq(staffSessions.staffId, by.staffId),
        "except" in by && by.except ? ne(staffSessions.tokenHash, by.except) : undefined,
        isNull(staffSessions.revokedAt),
      ),
    )
    .returning({ tokenHash: staffSessions.tokenHash });
  return rows.length;
}

/** Sessions still open, newest first, with who they belong to. */
export async function openSessions(db: Db, now: Date, idleMs: number) {
  return db
    .select({
      tokenHash: staffSessions.tokenHash,
      staffId: staff.id,
      email: staff.email,
      role: staff.role,
      createdAt: staffSessions.createdAt,
      lastSeenAt: staffSessions.lastSeenAt,
      expiresAt: staffSessions.expiresAt,
      userAgent: staffSessions.userAgent,
    })
    .from(staffSessions)
    .innerJoin(staff, eq(staff.id, staffSessions.staffId))
    .where(
      and(
        isNull(staffSessions.revokedAt),
        gt(staffSessions.expiresAt, now),
        gt(staffSessions.lastSeenAt, new Date(now.getTime() - idleMs)),
      ),
    )
    .orderBy(desc(staffSessions.lastSeenAt))
    .limit(200);
}

/** Deletes sessions that ended before `before` (housekeeping). */
export async function deleteOldSessions(db: Db, before: Date): Promise<number> {
  const rows = await db
    .delete(staffSessions)
    .where(or(lt(staffSessions.expiresAt, before), lt(staffSessions.revokedAt, before)))
    .returning({ tokenHash: staffSessions.tokenHash });
  return rows.length;
}

/** Stores a new API token. */
export async function insertToken(db: Db, row: Omit<TokenRow, "lastUsedAt" | "revokedAt">): Promise<void> {
  await db.insert(apiTokens).values(row);
}

/** A token that was not revoked, by the SHA-256 of its secret. */
export async function liveToken(db: Db, tokenHash: string): Promise<TokenRow | undefined> {
  const [row] = await db
    .select()
    .from(apiTokens)
    .where(and(eq(apiTokens.tokenHash, tokenHash), isNull(apiTokens.revokedAt)))
    .limit(1);
  return row;
}

/** Notes a token's use. */
export async function touchToken(db: Db, id: string, now: Date): Promise<void> {
  await db.update(apiTokens).set({ lastUsedAt: now }).where(eq(apiTokens.id, id));
}

/** Every token, newest first. */
export async function listTokens(db: Db): Promise<TokenRow[]> {
  return db.select().from(apiTokens).orderBy(desc(apiTokens.createdAt));
}

/** Revokes a token; false if there is none live with this id. */
export async function revokeToken(db: Db, id: string, now: Date): Promise<boolean> {
  const rows = await db
    .update(apiTokens)
    .set({ revokedAt: now })
    .where(and(eq(apiTokens.id, id), isNull(apiTokens.revokedAt)))
    .returning({ id: apiTokens.id });
  return rows.length === 1;
}

/** Revokes every live token a given actor created; how many. */
export async function revokeTokensCreatedBy(db: Db, createdBy: string, now: Date): Promise<number> {
  const rows = await db
    .update(apiTokens)
    .set({ revokedAt: now })
    .where(and(eq(apiTokens.createdBy, createdBy), isNull(apiTokens.revokedAt)))
    .returning({ id: apiTokens.id });
  return rows.length;
}
