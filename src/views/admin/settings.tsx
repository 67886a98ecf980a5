import { type AdminContext, AdminLayout, Csrf } from "./layout";
import { Field, Table } from "./parts";

/** The effective configuration, read-only; secrets only as set or not set. */
export function SettingsPage(props: { ctx: AdminContext; settings: { setting: string; value: unknown; problem?: string }[] }) {
  return (
    <AdminLayout ctx={props.ctx} title="Settings">
      <p class="muted">
        Settings come from <code>[vars]</code> in wrangler.toml and from secrets (<code>wrangler secret put</code>); change them there and
        deploy.
      </p>
      <Table columns={["Setting", "Value"]}>
        {props.settings.map((s) => (
          <tr>
            <td>
              <code>{s.setting}</code>
            </td>
            <td class="wrap">
              {s.problem ? (
                <span class="error">{s.problem}</span>
              ) : s.value === undefined ? (
                <span class="muted">(default)</span>
              ) : (
                String(s.value)
              )}
            </td>
          </tr>
        ))}
      </Table>
    </AdminLayout>
  );
}

/** The signed-in member's own account: change the password. */
export function AccountPage(props: { ctx: AdminContext }) {
  const { ctx } = props;
  return (
    <AdminLayout ctx={ctx} title="Your account">
      <p>
        Signed in as {ctx.email} ({ctx.role}).
      </p>
      <form method="post" action="/admin/account/password" class="card">
        <Csrf ctx={ctx} />
        <h2>Change your password</h2>
        <Field label="Current password" for="current">
          <input id="current" name="current" type="password" required autocomplete="current-password" />
        </Field>
        <Field label="New password" for="next" hint="At least 12 characters. Your other sessions end.">
          <input id="next" name="password" type="password" required minlength={12} autocomplete="new-password" />
        </Field>
        <button type="submit">Change password</button>
      </form>
    </AdminLayout>
  );
}
