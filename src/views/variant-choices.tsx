import type { VariantView } from "../domain/catalog";

/** One value of an option, the variant choosing it leads to, and whether that combination can be bought. */
export interface Choice {
  value: string;
  sku: string;
  selected: boolean;
  /** The combination with the other chosen values exists but has no stock. */
  soldOut: boolean;
  /** No variant combines this value with the other chosen values. */
  unavailable: boolean;
}

/** An option name as a label ("colour" → "Colour"). */
export const optionLabel = (name: string) => name.charAt(0).toUpperCase() + name.slice(1);

/**
 * The options of a product as choices: for each value, the variant that keeps as many of the
 * selected variant's other values as it can (in stock first), and whether the exact combination
 * is sold out or does not exist.
 */
export function optionChoices(variants: VariantView[], selected: VariantView): { name: string; choices: Choice[] }[] {
  const names = [...new Set(variants.flatMap((v) => Object.keys(v.options)))];
  return names.map((name) => {
    const values = [...new Set(variants.map((v) => v.options[name]).filter((v): v is string => v !== undefined))];
    const others = Object.entries(selected.options).filter(([n]) => n !== name);
    const kept = (v: VariantView) => others.filter(([n, x]) => v.options[n] === x).length;
    const choices = values.map((value): Choice => {
      const withValue = variants.filter((v) => v.options[name] === value);
      const exact = withValue.find((v) => kept(v) === others.length);
      const best = [...withValue].sort((a, b) => kept(b) - kept(a) || Number(b.available > 0) - Number(a.available > 0))[0] ?? selected;
      return {
        value,
        sku: (exact ?? best).sku,
        selected: selected.options[name] === value,
        soldOut: exact !== undefined && exact.available <= 0,
        unavailable: exact === undefined,
      };
    });
    return { name, choices };
  });
}

/** Option values as links to each variant's own URL (works without JavaScript; the choice survives reload and sharing). */
export function VariantChoices(props: { slug: string; variants: VariantView[]; selected: VariantView }) {
  const groups = optionChoices(props.variants, props.selected);
  return (
    <>
      {groups.map((group) => (
        <fieldset class="choices">
          <legend>
            {optionLabel(group.name)}: <strong>{props.selected.options[group.name] ?? "—"}</strong>
          </legend>
          <ul>
            {group.choices.map((c) => (
              <li>
                <a
                  class={`choice${c.soldOut || c.unavailable ? " sold-out" : ""}`}
                  href={`/p/${props.slug}?variant=${encodeURIComponent(c.sku)}#buy`}
                  aria-current={c.selected ? "true" : undefined}
                >
                  {c.value}
                  {c.soldOut ? (
                    <span class="vh"> (sold out)</span>
                  ) : c.unavailable ? (
                    <span class="vh"> (not in this combination)</span>
                  ) : null}
                </a>
              </li>
            ))}
          </ul>
        </fieldset>
      ))}
    </>
  );
}
