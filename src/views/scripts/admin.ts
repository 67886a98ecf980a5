/** Admin enhancements: confirm destructive forms, add variant rows, drop an image onto the upload form. */
export const ADMIN_JS = `(() => {
  for (const form of document.querySelectorAll("form[data-confirm]")) {
    form.addEventListener("submit", (e) => {
      if (!confirm(form.getAttribute("data-confirm"))) e.preventDefault();
    });
  }
  const add = document.querySelector("[data-add-variant]");
  const body = document.querySelector("#variants tbody");
  if (add && body) {
    add.classList.remove("hidden");
    let n = body.querySelectorAll("[data-variant-row]").length;
    add.addEventListener("click", () => {
      const rows = body.querySelectorAll("[data-variant-row]");
      const row = rows[rows.length - 1].cloneNode(true);
      n++;
      for (const el of row.querySelectorAll("[id]")) el.id = el.id.replace(/^v\\d+-/, "v" + n + "-");
      for (const el of row.querySelectorAll("label[for]")) el.htmlFor = el.htmlFor.replace(/^v\\d+-/, "v" + n + "-");
      for (const el of row.querySelectorAll("input")) {
        if (el.type === "checkbox") el.closest("label")?.remove();
        else if (el.type === "hidden") el.value = "";
        else { el.value = ""; el.readOnly = false; el.removeAttribute("aria-invalid"); }
      }
      for (const el of row.querySelectorAll(".error")) el.remove();
      body.appendChild(row);
      row.querySelector("input")?.focus();
    });
  }
  const drop = document.querySelector("form[data-drop]");
  if (drop) {
    const input = drop.querySelector("input[type=file]");
    drop.querySelector("[data-drop-hint]")?.classList.remove("hidden");
    drop.addEventListener("dragover", (e) => { e.preventDefault(); drop.classList.add("over"); });
    drop.addEventListener("dragleave", () => drop.classList.remove("over"));
    drop.addEventListener("drop", (e) => {
      e.preventDefault();
      drop.classList.remove("over");
      if (!e.dataTransfer?.files?.length || !input) return;
      input.files = e.dataTransfer.files;
      drop.requestSubmit();
    });
  }
})();`;
