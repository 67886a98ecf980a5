import { type Permission, STAFF_ROLES, TOKEN_SCOPES } from "../../domain/staff";
import { type AdminContext, AdminLayout, Csrf } from "./layout";
import { Field, StatusBadge, Table, when } from "./parts";

/** A staff member as the owner sees them. */
export interface StaffView {
  id: string;
  email: string;
  name: string;
  role: string;
  disabled: boolean;
  lastLoginAt: string | null;
}

/** An API token as the owner sees it (never the secret). */
export interface TokenView {
  id: string;
  name: string;
  prefix: string;
  scopes: string[];
  createdBy: string;
  createdAt: string;
  lastUsedAt: string | null;
  revoked: boolean;
}

/** An open session. */
export interface SessionView {
  id: string;
  email: string;
  role: string;
  createdAt: Date;
  lastSeenAt: Date;
  userAgent: string;
}

/** Staff, API tokens and open sessions, for owners; `created` shows a new token's secret once. */
export function StaffPage(props: {
  ctx: AdminContext;
  staff: StaffView[];
  tokens: TokenView[];
  sessions: SessionView[];
  created?: { name: string; token: string };
}) {
  const { ctx } = props;
  return (
    <AdminLayout ctx={ctx} title="Staff and tokens" scripts={["admin"]}>
      {props.created ? (
        <section class="card" role="status">
          <h2>Token “{props.created.name}” created</h2>
          <p>Copy it now: it is shown this once and only its hash is kept.</p>
          <p class="secret" data-token>
            {props.created.token}
          </p>
        </section>
      ) : null}
      <section class="card" aria-labelledby="staff-h">
        <h2 id="staff-h">Staff</h2>
        <Table columns={["Who", "Role", { label: "Last sign-in", hideSm: true }, { label: "Actions", hidden: true }]}>
          {props.staff.map((s) => (
            <tr>
              <td class="wrap">
                {s.email}
                {s.name ? <div class="muted">{s.name}</div> : null} {s.disabled ? <StatusBadge value="disabled" /> : null}
              </td>
              <td>
                <form method="post" action={`/admin/staff/${s.id}/role`} class="inline">
                  <Csrf ctx={ctx} />
                  <label class="skip" for={`role-${s.id}`}>
                    Role of {s.email}
                  </label>
                  <select id={`role-${s.id}`} name="role">
                    {STAFF_ROLES.map((r) => (
                      <option value={r} selected={s.role === r}>
                        {r}
                      </option>
                    ))}
                  </select>
                  <button type="submit" class="secondary">
                    Change
                  </button>
                </form>
              </td>
              <td class="hide-sm">{when(s.lastLoginAt)}</td>
              <td>
                <form
                  method="post"
                  action={`/admin/staff/${s.id}/${s.disabled ? "enable" : "disable"}`}
                  class="inline"
                  data-confirm={s.disabled ? `Let ${s.email} sign in again?` : `Disable ${s.email}? Their sessions end now.`}
                >
                  <Csrf ctx={ctx} />
                  <button type="submit" class={s.disabled ? "secondary" : "danger"}>
                    {s.disabled ? "Enable" : "Disable"}
                  </button>
                </form>
              </td>
            </tr>
          ))}
        </Table>
        <form method="post" action="/admin/staff" class="row">
          <Csrf ctx={ctx} />
          <Field label="Email" for="new-email">
            <input id="new-email" name="email" type="email" required />
          </Field>
          <Field label="Name" for="new-name">
            <input id="new-name" name="name" maxlength={100} />
          </Field>
          <Field label="Role" for="new-role">
            <select id="new-role" name="role">
              {STAFF_ROLES.map((r) => (
                <option value={r} selected={r === "staff"}>
                  {r}
                </option>
              ))}
            </select>
          </Field>
          <Field label="First password (12+ characters)" for="new-password">
            <input id="new-password" name="password" type="password" minlength={12} required autocomplete="new-password" />
          </Field>
          <button type="submit">Add staff member</button>
        </form>
      </section>
      <section class="card" aria-labelledby="tokens-h">
        <h2 id="tokens-h">API tokens</h2>
        {props.tokens.length ? (
          <ul class="plain">
            {props.tokens.map((t) => (
              <li>
                <strong>{t.name}</strong> <code>{t.prefix}…</code> {t.revoked ? <StatusBadge value="revoked" /> : null}
                <div class="muted wrap">
                  {t.scopes.join(", ")} · made by {t.createdBy} {when(t.createdAt)} · last used {when(t.lastUsedAt)}
                </div>
                {t.revoked ? null : (
                  <form
                    method="post"
                    action={`/admin/tokens/${t.id}/revoke`}
                    class="inline"
                    data-confirm={`Revoke ${t.name}? Calls with it stop now.`}
                  >
                    <Csrf ctx={ctx} />
                    <button type="submit" class="danger">
                      Revoke
                    </button>
                  </form>
                )}
              </li>
            ))}
          </ul>
        ) : (
          <p class="muted">No tokens yet.</p>
        )}
        <form method="post" action="/admin/tokens">
          <Csrf ctx={ctx} />
          <Field label="Token name" for="token-name" hint="Say what will use it, such as “warehouse sync”.">
            <input id="token-name" name="name" required maxlength={80} />
          </Field>
          <fieldset>
            <legend>Scopes</legend>
            <div class="grid">
              {TOKEN_SCOPES.map((p: Permission) => (
                <label>
                  <input type="checkbox" name="scopes" value={p} /> {p}
                </label>
              ))}
            </div>
          </fieldset>
          <button type="submit">Create token</button>
        </form>
      </section>
      <section class="card" aria-labelledby="sessions-h">
        <h2 id="sessions-h">Signed-in sessions</h2>
        <ul class="plain">
          {props.sessions.map((s) => (
            <li>
              {s.email} ({s.role}) · since {when(s.createdAt)} · last seen {when(s.lastSeenAt)}
              <div class="muted wrap">{s.userAgent}</div>
              <form method="post" action={`/admin/sessions/${s.id}/revoke`} class="inline">
                <Csrf ctx={ctx} />
                <button type="submit" class="secondary">
                  Sign out
                </button>
              </form>
            </li>
          ))}
        </ul>
      </section>
    </AdminLayout>
  );
}
