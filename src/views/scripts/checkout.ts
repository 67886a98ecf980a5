/** Checkout enhancement: refreshes shipping options and totals from the quote API as the address changes. */
export const CHECKOUT_JS = `(() => {
  const form = document.querySelector("form.checkout[data-cart]");
  if (!form) return;
  const cart = form.getAttribute("data-cart");
  const field = (name) => form.elements.namedItem(name);
  const show = (id, text, hidden) => {
    const el = document.getElementById(id);
    if (!el) return;
    el.textContent = text;
    if (hidden !== undefined) el.classList.toggle("hidden", hidden);
  };
  const fmt = (m) => new Intl.NumberFormat(document.documentElement.lang || undefined, { style: "currency", currency: m.currency }).format(m.amount / 10 ** (new Intl.NumberFormat("en", { style: "currency", currency: m.currency }).resolvedOptions().maximumFractionDigits ?? 2));
  let pending = 0;
  async function refresh() {
    const ticket = ++pending;
    const q = new URLSearchParams({ country: field("country").value });
    const region = field("region").value.trim();
    const postal = field("postalCode").value.trim();
    const method = form.querySelector('input[name="shippingMethod"]:checked');
    if (region) q.set("region", region);
    if (postal) q.set("postalCode", postal);
    if (method) q.set("shippingMethod", method.value);
    const points = field("loyaltyPoints");
    if (points && Number(points.value) > 0) q.set("points", points.value);
    let res = await fetch("/api/carts/" + cart + "/quote?" + q, { headers: { Accept: "application/json" } });
    if (!res.ok && method) {
      q.delete("shippingMethod");
      res = await fetch("/api/carts/" + cart + "/quote?" + q, { headers: { Accept: "application/json" } });
    }
    if (ticket !== pending) return;
    const body = await res.json();
    if (!res.ok) {
      show("quote-error", body.detail || "Totals could not be worked out for this address.");
      for (const id of ["total-shipping", "total-tax", "total-total"]) show(id, "—");
      return;
    }
    show("quote-error", "");
    show("total-subtotal", fmt(body.subtotal));
    show("total-discount", "−" + fmt(body.discount), body.discount.amount === 0);
    show("label-discount", "Discount", body.discount.amount === 0);
    show("total-shipping", fmt(body.shipping));
    show("label-tax", body.taxIncluded ? "incl. " + (body.taxName || "tax") : body.taxName || "Tax");
    show("total-tax", fmt(body.tax));
    show("total-total", fmt(body.total));
    let left = body.total.amount;
    for (const el of document.querySelectorAll("[data-gift-balance]")) {
      const take = Math.min(Number(el.getAttribute("data-gift-balance")), left);
      left -= take;
      el.textContent = "−" + fmt({ amount: take, currency: body.total.currency });
    }
    show("total-due", fmt({ amount: left, currency: body.total.currency }));
    const box = document.getElementById("methods");
    if (!box) return;
    for (const old of box.querySelectorAll("label.variant, p.muted")) old.remove();
    for (const m of body.shippingMethods) {
      const label = document.createElement("label");
      label.className = "variant";
      const input = document.createElement("input");
      input.type = "radio";
      input.name = "shippingMethod";
      input.value = m.id;
      input.checked = m.id === body.shippingMethod;
      const span = document.createElement("span");
      span.textContent = m.name + " — " + (m.amount.amount === 0 ? "Free" : fmt(m.amount));
      label.append(input, span);
      box.append(label);
    }
  }
  let timer;
  form.addEventListener("change", (e) => {
    if (!e.target || !["country", "region", "postalCode", "shippingMethod", "loyaltyPoints"].includes(e.target.name)) return;
    clearTimeout(timer);
    timer = setTimeout(refresh, 150);
  });
  const update = form.querySelector('button[value="quote"]');
  if (update) update.hidden = true;
})();`;
