import { TURNSTILE_SCRIPT } from "../../domain/turnstile";
import { AdminHead } from "./layout";

/** The staff sign-in form (fields `email` and `password`). */
export function LoginPage(props: {
  shopName: string;
  nonce: string;
  next: string;
  email?: string;
  error?: string;
  turnstileSiteKey?: string;
}) {
  return (
    <html lang="en">
      <AdminHead
        title={`Sign in · ${props.shopName} admin`}
        nonce={props.nonce}
        external={props.turnstileSiteKey ? [TURNSTILE_SCRIPT] : []}
      />
      <body>
        <main id="main" class="login">
          <h1>Sign in to {props.shopName}</h1>
          {props.error ? (
            <p class="flash error" role="alert">
              {props.error}
            </p>
          ) : null}
          <form method="post" action="/admin/login" class="card">
            <input type="hidden" name="next" value={props.next} />
            <div class="field">
              <label for="email">Email</label>
              <input id="email" name="email" type="email" autocomplete="username" required value={props.email ?? ""} />
            </div>
            <div class="field">
              <label for="password">Password</label>
              <input id="password" name="password" type="password" autocomplete="current-password" required />
            </div>
            {props.turnstileSiteKey ? <div class="cf-turnstile" data-sitekey={props.turnstileSiteKey} /> : null}
            <button type="submit">Sign in</button>
          </form>
          <p class="muted">
            <a href="/">Back to the shop</a>
          </p>
        </main>
      </body>
    </html>
  );
}
