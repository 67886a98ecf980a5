/**
 * Store enhancement on every page: the header's cart count (from a cookie, so cached pages stay the
 * same for everyone), search suggestions while typing, filters that apply on change, and adding to
 * the cart without leaving the product page. Every page works without it.
 */
export const STORE_JS = `(() => {
  const fmt = (m) => {
    const digits = new Intl.NumberFormat("en", { style: "currency", currency: m.currency }).resolvedOptions().maximumFractionDigits ?? 2;
    return new Intl.NumberFormat(document.documentElement.lang || undefined, { style: "currency", currency: m.currency }).format(m.amount / 10 ** digits);
  };

  const badge = document.querySelector("[data-cart-count]");
  const showCount = () => {
    if (!badge) return;
    const m = /(?:^|; )cart_count=(\\d{1,4})/.exec(document.cookie);
    const n = m ? Number(m[1]) : 0;
    badge.textContent = n > 0 ? String(n) : "";
    badge.hidden = n === 0;
    badge.closest("a")?.setAttribute("aria-label", n > 0 ? "Cart, " + n + (n === 1 ? " item" : " items") : "Cart");
  };
  showCount();
  addEventListener("pageshow", showCount);

  const input = document.querySelector("input[data-suggest]");
  const list = input && document.getElementById(input.getAttribute("aria-controls"));
  if (input && list) {
    let timer = 0, ctrl, options = [], active = -1;
    const close = () => {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    };
    const mark = (i) => {
      options.forEach((o, j) => o.setAttribute("aria-selected", String(i === j)));
      active = i;
      if (i >= 0) input.setAttribute("aria-activedescendant", options[i].id);
      else input.removeAttribute("aria-activedescendant");
    };
    const option = (id, href, label, detail) => {
      const li = document.createElement("div");
      li.id = id;
      li.setAttribute("role", "option");
      li.setAttribute("aria-selected", "false");
      li.dataset.href = href;
      li.textContent = label;
      if (detail) {
        const span = document.createElement("span");
        span.className = "muted";
        span.textContent = " " + detail;
        li.append(span);
      }
      li.addEventListener("mousedown", (e) => {
        e.preventDefault();
        location.href = href;
      });
      return li;
    };
    const render = (data) => {
      list.replaceChildren();
      options = [];
      data.categories.forEach((c, i) => options.push(option("sg-c" + i, "/c/" + c.slug, c.name, "· category")));
      data.products.forEach((p, i) => options.push(option("sg-p" + i, "/p/" + p.slug, p.title, "· " + fmt(p.price))));
      if (!options.length) return close();
      list.append(...options);
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
      mark(-1);
    };
    const load = async () => {
      const q = input.value.trim();
      if (q.length < 2) return close();
      ctrl?.abort();
      ctrl = new AbortController();
      try {
        const res = await fetch("/api/search/suggest?q=" + encodeURIComponent(q), { signal: ctrl.signal });
        if (res.ok && input.value.trim() === q) render(await res.json());
      } catch {}
    };
    input.addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(load, 150);
    });
    input.addEventListener("keydown", (e) => {
      if (list.hidden || !options.length) return;
      if (e.key === "ArrowDown" || e.key === "ArrowUp") {
        e.preventDefault();
        const step = e.key === "ArrowDown" ? 1 : -1;
        let next = active + step;
        if (next >= options.length) next = -1;
        else if (next < -1) next = options.length - 1;
        mark(next);
      } else if (e.key === "Enter" && active >= 0) {
        e.preventDefault();
        location.href = options[active].dataset.href;
      } else if (e.key === "Escape") {
        close();
      }
    });
    input.addEventListener("blur", () => setTimeout(close, 100));
  }

  for (const thumb of document.querySelectorAll("a[data-slide]")) {
    thumb.addEventListener("click", (e) => {
      const slide = document.getElementById(thumb.getAttribute("href").slice(1));
      if (!slide) return;
      e.preventDefault();
      slide.parentElement.scrollTo({ left: slide.offsetLeft - slide.parentElement.offsetLeft });
      document.querySelectorAll("a[data-slide]").forEach((t) => t.removeAttribute("aria-current"));
      thumb.setAttribute("aria-current", "true");
    });
  }

  const filters = document.querySelector("form[data-listing]");
  filters?.addEventListener("change", (e) => {
    if (e.target.matches("input[type=checkbox], select")) filters.requestSubmit();
  });

  const add = document.querySelector("form[data-add-to-cart]");
  const status = document.getElementById("added");
  add?.addEventListener("submit", async (e) => {
    e.preventDefault();
    const button = add.querySelector("button[type=submit]");
    button.disabled = true;
    try {
      const res = await fetch(add.action, { method: "POST", body: new URLSearchParams(new FormData(add)), headers: { Accept: "application/json" } });
      if (!res.ok || !(res.headers.get("Content-Type") || "").includes("json")) return add.submit();
      const cart = await res.json();
      showCount();
      if (status) {
        status.replaceChildren();
        const text = document.createElement("span");
        text.textContent = "Added " + cart.title + ". Cart: " + cart.count + (cart.count === 1 ? " item, " : " items, ") + fmt(cart.subtotal) + ". ";
        const link = document.createElement("a");
        link.href = "/cart";
        link.textContent = "View cart and check out";
        status.append(text, link);
        status.hidden = false;
      }
    } catch {
      add.submit();
    } finally {
      button.disabled = false;
    }
  });
})();`;
