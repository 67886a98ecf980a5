import { EmailMessage } from "cloudflare:email";
import { configOf } from "../config";
import type { Bindings } from "../env";
import { misconfigured } from "../errors";

/** A rendered email. */
export interface OutgoingEmail {
  from: string;
  to: string;
  subject: string;
  html: string;
  text: string;
  /** Extra headers (List-Unsubscribe on marketing mail). */
  headers?: Record<string, string>;
  /** Stable per notification: providers that support it drop duplicates. */
  idempotencyKey: string;
}

/** An email provider adapter. */
export interface EmailProvider {
  readonly name: string;
  send(email: OutgoingEmail): Promise<{ id: string }>;
}

/** Resend's HTTP API (used when RESEND_API_KEY is set). */
export function resendProvider(apiKey: string): EmailProvider {
  return {
    name: "resend",
    async send(email) {
      const res = await fetch("https://api.resend.com/emails", {
        method: "POST",
        headers: { Authorization: `Bearer ${apiKey}`, "Content-Type": "application/json", "Idempotency-Key": email.idempotencyKey },
        body: JSON.stringify({
          from: email.from,
          to: [email.to],
          subject: email.subject,
          html: email.html,
          text: email.text,
          ...(email.headers ? { headers: email.headers } : {}),
        }),
      });
      const body = (await res.json().catch(() => ({}))) as { id?: string; message?: string };
      if (!res.ok || !body.id) throw new Error(`Resend answered ${res.status}: ${body.message ?? "no id"}`);
      return { id: body.id };
    },
  };
}

const addressOf = (mailbox: string) => /<([^>]+)>/.exec(mailbox)?.[1] ?? mailbox;

function encodeHeader(value: string): string {
  return /^[\x20-\x7e]*$/.test(value) ? value : `=?UTF-8?B?${btoa(String.fromCharCode(...new TextEncoder().encode(value)))}?=`;
}

function base64Lines(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return (btoa(binary).match(/.{1,76}/g) ?? []).join("\r\n");
}

/** The email as RFC 5322 text with text and HTML alternatives. */
export function mimeMessage(email: OutgoingEmail, messageId: string, date: Date): string {
  const boundary = `edgefront-${messageId.replace(/[^a-z0-9]/gi, "")}`;
  return [
    `From: ${email.from}`,
    `To: ${email.to}`,
    `Subject: ${encodeHeader(email.subject)}`,
    `Message-ID: <${messageId}>`,
    `Date: ${date.toUTCString()}`,
    ...Object.entries(email.headers ?? {}).map(([name, value]) => `${name}: ${value.replace(/[\r\n]/g, "")}`),
    "MIME-Version: 1.0",
    `Content-Type: multipart/alternative; boundary="${boundary}"`,
    "",
    `--${boundary}`,
    "Content-Type: text/plain; charset=utf-8",
    "Content-Transfer-Encoding: base64",
    "",
    base64Lines(email.text),
    `--${boundary}`,
    "Content-Type: text/html; charset=utf-8",
    "Content-Transfer-Encoding: base64",
    "",
    base64Lines(email.html),
    `--${boundary}--`,
    "",
  ].join("\r\n");
}

/** Cloudflare's send_email binding (locally, wrangler writes each message to an .eml file). */
export function sendEmailBindingProvider(binding: SendEmail): EmailProvider {
  return {
    name: "send_email",
    async send(email) {
      const from = addressOf(email.from);
      const messageId = `${email.idempotencyKey.replace(/[^A-Za-z0-9._-]/g, "-")}@${from.split("@")[1] ?? "edgefront.local"}`;
      await binding.send(new EmailMessage(from, addressOf(email.to), mimeMessage(email, messageId, new Date())));
      return { id: messageId };
    },
  };
}

/** Resend when RESEND_API_KEY is set, else the send_email binding. */
export function emailProvider(env: Bindings): EmailProvider {
  const apiKey = configOf(env).resendApiKey;
  if (apiKey) return resendProvider(apiKey);
  if (env.EMAIL) return sendEmailBindingProvider(env.EMAIL);
  throw misconfigured("RESEND_API_KEY or the EMAIL send_email binding");
}
