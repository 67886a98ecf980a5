import { argon2id } from "@noble/hashes/argon2.js";
import { base64url, safeEqual } from "./crypto";

/** argon2id at OWASP's baseline: 19 MiB of memory, 2 passes, 1 lane (about 0.2 s of CPU per sign-in). */
const PARAMS = { m: 19_456, t: 2, p: 1 } as const;
const encoder = new TextEncoder();

const b64 = (bytes: Uint8Array) => base64url(bytes);
const fromB64 = (text: string) => Uint8Array.from(atob(text.replace(/-/g, "+").replace(/_/g, "/")), (ch) => ch.charCodeAt(0));

function derive(password: string, salt: Uint8Array, params: { m: number; t: number; p: number }): Uint8Array {
  return argon2id(encoder.encode(password.normalize("NFKC")), salt, { ...params, dkLen: 32 });
}

/** A PHC-format argon2id hash of a password with a fresh 16-byte salt. */
export function hashPassword(password: string): string {
  const salt = crypto.getRandomValues(new Uint8Array(16));
  return `$argon2id$v=19$m=${PARAMS.m},t=${PARAMS.t},p=${PARAMS.p}$${b64(salt)}$${b64(derive(password, salt, PARAMS))}`;
}

const PHC = /^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$([A-Za-z0-9_-]+)\$([A-Za-z0-9_-]+)$/;

/** Whether `password` matches a stored hash (constant-time comparison; a malformed hash never matches). */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const m = PHC.exec(stored);
  if (!m) return false;
  const derived = derive(password, fromB64(m[4] as string), { m: Number(m[1]), t: Number(m[2]), p: Number(m[3]) });
  return safeEqual(b64(derived), m[5] as string);
}

/** A hash that matches nothing, verified against when the email is unknown so both answers take as long. */
export const DECOY_HASH = `$argon2id$v=19$m=${PARAMS.m},t=${PARAMS.t},p=${PARAMS.p}$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA`;
