/** An amount in integer minor units of an ISO 4217 currency. */
export interface Money {
  amount: number;
  currency: string;
}

const formatters = new Map<string, Intl.NumberFormat>();

function formatter(locale: string, currency: string): Intl.NumberFormat {
  const key = `${locale}|${currency}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.NumberFormat(locale, { style: "currency", currency });
    formatters.set(key, f);
  }
  return f;
}

const exponents = new Map<string, number>();

/** Minor-unit digits of a currency (2 for USD, 0 for JPY, 3 for BHD). */
export function currencyExponent(currency: string): number {
  let digits = exponents.get(currency);
  if (digits === undefined) {
    digits = formatter("en-US", currency).resolvedOptions().maximumFractionDigits ?? 2;
    exponents.set(currency, digits);
  }
  return digits;
}

/** The exact decimal string of an amount ("19.99" for 1999 USD), built without floating point. */
export function toDecimalString({ amount, currency }: Money): string {
  const digits = currencyExponent(currency);
  const sign = amount < 0 ? "-" : "";
  const units = String(Math.abs(amount)).padStart(digits + 1, "0");
  if (digits === 0) return sign + units;
  return `${sign}${units.slice(0, -digits)}.${units.slice(-digits)}`;
}

/** Localised display of an amount ("$19.99"). */
export function formatMoney(money: Money, locale: string): string {
  return formatter(locale, money.currency).format(toDecimalString(money) as Intl.StringNumericLiteral);
}

/**
 * Minor units from a typed decimal ("19.99", "19,99", "20") in a currency, without floating point;
 * undefined when the text is not a plain non-negative amount with at most the currency's digits.
 */
export function parseDecimal(text: string, currency: string): number | undefined {
  const digits = currencyExponent(currency);
  const m = /^(\d{1,12})(?:[.,](\d*))?$/.exec(text.trim().replace(/[\s_']/g, ""));
  if (!m) return undefined;
  const fraction = m[2] ?? "";
  if (fraction.length > digits) return undefined;
  const amount = Number(m[1]) * 10 ** digits + Number(fraction.padEnd(digits, "0") || "0");
  return Number.isSafeInteger(amount) ? amount : undefined;
}
