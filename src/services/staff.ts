import { configOf } from "../config";
import { hmac, randomToken, sha256Hex } from "../crypto";
import type { Db } from "../db";
import { insertAudit } from "../db/audit-store";
import {
  insertSession,
  insertStaff,
  insertToken,
  listStaff,
  listTokens,
  liveSession,
  liveToken,
  openSessions,
  revokeSessions,
  revokeToken,
  revokeTokensCreatedBy,
  type StaffRow,
  staffByEmail,
  staffById,
  touchSession,
  touchToken,
  updateStaff,
  updateStaffKeepingAnOwner,
} from "../db/staff-store";
import { type Permission, permissionsOf, ROLE_PERMISSIONS, type StaffRole } from "../domain/staff";
import type { Bindings } from "../env";
import { conflict, DomainError, invalid, notFound } from "../errors";
import { DECOY_HASH, hashPassword, verifyPassword } from "../passwords";

/** Idle and absolute lifetimes of a staff session. */
export const SESSION_IDLE_MS = 2 * 3_600_000;
export const SESSION_MAX_MS = 12 * 3_600_000;
/** A session's last-seen time is written at most this often. */
const TOUCH_EVERY_MS = 60_000;

/** The shortest password a staff member may choose. */
export const MIN_PASSWORD_LENGTH = 12;

/** A staff member as the admin shows them (never the password hash). */
export const staffView = (s: StaffRow) => ({
  id: s.id,
  email: s.email,
  name: s.name,
  role: s.role,
  disabled: s.disabledAt !== null,
  lastLoginAt: s.lastLoginAt?.toISOString() ?? null,
  createdAt: s.createdAt.toISOString(),
});

const normalEmail = (email: string) => email.trim().toLowerCase();

function checkPassword(password: string, email: string) {
  if (password.length < MIN_PASSWORD_LENGTH) {
    throw invalid("weak_password", `Passwords need at least ${MIN_PASSWORD_LENGTH} characters.`, [
      { field: "password", in: "json", message: `At least ${MIN_PASSWORD_LENGTH} characters.` },
    ]);
  }
  const name = normalEmail(email).split("@")[0] ?? "";
  if (name.length >= 4 && password.toLowerCase().includes(name)) {
    throw invalid("weak_password", "The password must not contain the email's name.", [
      { field: "password", in: "json", message: "Do not reuse your email." },
    ]);
  }
}

/** Records a staff-management action in the audit log. */
function auditStaff(
  db: Db,
  actor: string,
  action: string,
  entity: string,
  entityId: string,
  changes: Record<string, unknown> | null,
  now: Date,
) {
  return insertAudit(db, { actor, action, entity, entityId, changes, at: now });
}

/** Creates a staff member with a hashed password; an email already in use → 409 `email_taken`. */
export async function createStaff(
  db: Db,
  input: { email: string; password: string; role: StaffRole; name?: string },
  actor: string,
  now = new Date(),
) {
  checkPassword(input.password, input.email);
  const row = {
    id: `stf_${randomToken(12).replace(/[-_]/g, "x")}`,
    email: normalEmail(input.email),
    name: input.name?.trim() ?? "",
    role: input.role,
    passwordHash: hashPassword(input.password),
  };
  if (!(await insertStaff(db, row, now))) throw conflict("email_taken", "Someone on the staff already uses this email.");
  await auditStaff(db, actor, "create", "staff", row.id, { email: row.email, role: row.role }, now);
  return staffView((await staffById(db, row.id)) as StaffRow);
}

/** Everyone on the staff. */
export async function staffList(db: Db) {
  return (await listStaff(db)).map(staffView);
}

/**
 * Changes a member's role or disables them; the last active owner keeps both (checked in the same
 * statement as the write). Their sessions end when disabled or given another role, and an owner who
 * loses the role or is disabled loses the API tokens they created.
 */
export async function changeStaff(
  db: Db,
  id: string,
  change: { role?: StaffRole; disabled?: boolean; name?: string },
  actor: string,
  now = new Date(),
) {
  const member = await staffById(db, id);
  if (!member) throw notFound("Staff member", id);
  const losesOwner =
    member.role === "owner" && !member.disabledAt && ((change.role && change.role !== "owner") || change.disabled === true);
  const set = {
    ...(change.role ? { role: change.role } : {}),
    ...(change.disabled !== undefined ? { disabledAt: change.disabled ? now : null } : {}),
  };
  if (losesOwner) {
    if (!(await updateStaffKeepingAnOwner(db, id, set, now))) throw conflict("last_owner", "The shop needs at least one active owner.");
    await revokeTokensCreatedBy(db, `staff:${member.email}`, now);
  }
  await updateStaff(db, id, { ...set, ...(change.name !== undefined ? { name: change.name } : {}) }, now);
  if (change.disabled || (change.role && change.role !== member.role)) await revokeSessions(db, { staffId: id }, now);
  const before = { role: member.role, disabled: member.disabledAt !== null, name: member.name };
  await auditStaff(db, actor, "update", "staff", id, { before, after: { ...before, ...change } }, now);
  return staffView((await staffById(db, id)) as StaffRow);
}

/** Sets a new password and ends the member's other sessions. */
export async function setPassword(db: Db, id: string, password: string, actor: string, now = new Date()) {
  const member = await staffById(db, id);
  if (!member) throw notFound("Staff member", id);
  checkPassword(password, member.email);
  await updateStaff(db, id, { passwordHash: hashPassword(password) }, now);
  await revokeSessions(db, { staffId: id }, now);
  await auditStaff(db, actor, "password_reset", "staff", id, null, now);
}

/** A member changes their own password: the current one must match; their other sessions end. */
export async function changeOwnPassword(db: Db, id: string, current: string, next: string, keepSession: string, now = new Date()) {
  const member = await staffById(db, id);
  if (!member || !(await verifyPassword(current, member.passwordHash))) {
    throw invalid("wrong_password", "The current password is not right.", [
      { field: "current", in: "form", message: "Not your current password." },
    ]);
  }
  checkPassword(next, member.email);
  await updateStaff(db, id, { passwordHash: hashPassword(next) }, now);
  await revokeSessions(db, { staffId: id, except: keepSession }, now);
  await auditStaff(db, `staff:${member.email}`, "password_change", "staff", id, null, now);
}

/** A refused sign-in: the same answer for an unknown email, a wrong password and a disabled account. */
export const badCredentials = () =>
  new DomainError("unauthorized", "invalid_credentials", "That email and password do not match an active account.");

/**
 * Checks an email and password and opens a session: a random token for the cookie (only its SHA-256
 * is stored). Unknown emails cost as much as wrong passwords, so timing tells nothing.
 */
export async function signIn(db: Db, email: string, password: string, userAgent: string, now = new Date()) {
  const member = await staffByEmail(db, normalEmail(email));
  const ok = await verifyPassword(password, member?.passwordHash ?? DECOY_HASH);
  if (!member || !ok || member.disabledAt) throw badCredentials();
  const token = randomToken(32);
  await insertSession(db, {
    tokenHash: await sha256Hex(token),
    staffId: member.id,
    createdAt: now,
    lastSeenAt: now,
    expiresAt: new Date(now.getTime() + SESSION_MAX_MS),
    userAgent: userAgent.slice(0, 200),
  });
  await updateStaff(db, member.id, { lastLoginAt: now }, now);
  return { token, member: staffView(member) };
}

/** Who is signed in with a session token, if the session is live; moves its idle expiry on. */
export async function sessionOf(db: Db, token: string, now = new Date()) {
  const tokenHash = await sha256Hex(token);
  const found = await liveSession(db, tokenHash, now, SESSION_IDLE_MS);
  if (!found) return undefined;
  if (now.getTime() - found.session.lastSeenAt.getTime() > TOUCH_EVERY_MS) await touchSession(db, tokenHash, now);
  return { tokenHash, member: found.member };
}

/** Ends a session. */
export async function signOut(db: Db, token: string, now = new Date()) {
  await revokeSessions(db, { tokenHash: await sha256Hex(token) }, now);
}

/** Open sessions for owners to see (identified by a hash prefix, never the token). */
export async function sessionsList(db: Db, now = new Date()) {
  return (await openSessions(db, now, SESSION_IDLE_MS)).map(({ tokenHash, ...s }) => ({ id: tokenHash.slice(0, 16), ...s }));
}

/** Ends the session whose id (hash prefix) is given. */
export async function revokeSessionById(db: Db, id: string, actor: string, now = new Date()) {
  const match = (await openSessions(db, now, SESSION_IDLE_MS)).find((s) => s.tokenHash.startsWith(id));
  if (!match || id.length < 16) throw notFound("Session", id);
  await revokeSessions(db, { tokenHash: match.tokenHash }, now);
  await auditStaff(db, actor, "end_session", "staff", match.staffId, { session: id }, now);
}

/** The CSRF token of a session's forms and scripted calls (bound to the session, so no other site can forge it). */
export function csrfTokenFor(env: Bindings, sessionTokenHash: string): Promise<string> {
  return hmac(configOf(env).sessionSecret, `admin-csrf:${sessionTokenHash}`);
}

/** A named API token with scopes; the secret is returned once and only its SHA-256 is kept. */
export async function createToken(db: Db, input: { name: string; scopes: Permission[] }, createdBy: string, now = new Date()) {
  const secret = `eft_${randomToken(32)}`;
  const row = {
    id: `tok_${randomToken(12).replace(/[-_]/g, "x")}`,
    name: input.name.trim(),
    tokenHash: await sha256Hex(secret),
    prefix: secret.slice(0, 10),
    scopes: [...permissionsOf(input.scopes)].filter((p) => input.scopes.includes(p)),
    createdBy,
    createdAt: now,
  };
  await insertToken(db, row);
  await auditStaff(db, createdBy, "create", "token", row.id, { name: row.name, scopes: row.scopes }, now);
  return { id: row.id, name: row.name, prefix: row.prefix, scopes: row.scopes, token: secret, createdAt: now.toISOString() };
}

/** Tokens as owners see them (never the secret). */
export async function tokensList(db: Db) {
  return (await listTokens(db)).map((t) => ({
    id: t.id,
    name: t.name,
    prefix: t.prefix,
    scopes: t.scopes,
    createdBy: t.createdBy,
    createdAt: t.createdAt.toISOString(),
    lastUsedAt: t.lastUsedAt?.toISOString() ?? null,
    revoked: t.revokedAt !== null,
  }));
}

/** Revokes a token. */
export async function revokeApiToken(db: Db, id: string, actor: string, now = new Date()) {
  if (!(await revokeToken(db, id, now))) throw notFound("Token", id);
  await auditStaff(db, actor, "revoke", "token", id, null, now);
}

/** The permissions an API token secret carries, if it is live; notes its use. */
export async function tokenGrants(
  db: Db,
  secret: string,
  now = new Date(),
): Promise<{ id: string; name: string; permissions: Set<Permission> } | undefined> {
  const row = await liveToken(db, await sha256Hex(secret));
  if (!row) return undefined;
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() > TOUCH_EVERY_MS) await touchToken(db, row.id, now);
  return { id: row.id, name: row.name, permissions: permissionsOf(row.scopes) };
}

/** What a role may do. */
export const rolePermissions = (role: StaffRole) => ROLE_PERMISSIONS[role];
