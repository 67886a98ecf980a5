/** Order page enhancement: while a payment is being confirmed, checks the order every few seconds and reloads when it changes. */
export const ORDER_STATUS_JS = `(() => {
  const el = document.querySelector("[data-order-poll]");
  if (!el) return;
  const url = el.getAttribute("data-order-poll");
  const status = el.getAttribute("data-status");
  let tries = 0;
  const tick = async () => {
    tries++;
    try {
      const res = await fetch(url, { headers: { Accept: "application/json" } });
      if (res.ok && (await res.json()).status !== status) return location.reload();
    } catch {}
    if (tries < 60) setTimeout(tick, tries < 10 ? 2000 : 5000);
  };
  setTimeout(tick, 1500);
})();`;
