import type { Address } from "../domain/order";

/** A postal address on lines (the country as given, or by name when a lookup is passed). */
export function AddressLines(props: { address: Address; countryName?: (code: string) => string | undefined }) {
  const a = props.address;
  return (
    <>
      {a.name}
      <br />
      {a.line1}
      {a.line2 ? (
        <>
          <br />
          {a.line2}
        </>
      ) : null}
      <br />
      {[a.postalCode, a.city, a.region].filter(Boolean).join(" ")}
      <br />
      {props.countryName?.(a.country) ?? a.country}
    </>
  );
}
