/** The shop's info pages, in footer order; each lives at `/pages/:slug`. */
export const INFO_PAGE_SLUGS = ["shipping", "returns", "privacy", "terms", "contact"] as const;
export type InfoPageSlug = (typeof INFO_PAGE_SLUGS)[number];

/** The short name of each page (footer links, admin list). */
export const INFO_PAGE_LABELS: Readonly<Record<InfoPageSlug, string>> = {
  shipping: "Shipping",
  returns: "Returns",
  privacy: "Privacy",
  terms: "Terms",
  contact: "Contact",
};

/** The longest title an edited page may have. */
export const INFO_TITLE_MAX = 120;
/** The longest body an edited page may have. */
export const INFO_BODY_MAX = 20_000;

/** Whether a path segment names one of the info pages. */
export const isInfoPageSlug = (slug: string): slug is InfoPageSlug => (INFO_PAGE_SLUGS as readonly string[]).includes(slug);

/** An info page as shown: edited by staff, or the default text. */
export interface InfoPage {
  slug: InfoPageSlug;
  title: string;
  body: string;
  edited: boolean;
  updatedAt: Date | null;
  updatedBy: string | null;
}

/** The settings the default texts mention. */
export interface InfoPageSettings {
  shopName: string;
  currency: string;
  /** Days after delivery for return requests; 0 when the shop takes no returns. */
  returnWindowDays: number;
}

/** The text a page shows until staff edit it. */
export function defaultInfoPage(slug: InfoPageSlug, s: InfoPageSettings): { title: string; body: string } {
  switch (slug) {
    case "shipping":
      return {
        title: "Shipping",
        body: [
          `${s.shopName} ships to the countries you can choose at checkout. Before you place an order you see every shipping method for your address, its price, any tax, and the total.`,
          [
            `- Prices are in ${s.currency}.`,
            "- We pack your order once the payment is confirmed.",
            "- When it ships, we email you the carrier and the tracking number.",
            "- Your order page shows its status and tracking at any time.",
          ].join("\n"),
          "If a parcel is late or arrives damaged, get in touch through the contact page and we will sort it out.",
        ].join("\n\n"),
      };
    case "returns":
      return s.returnWindowDays > 0
        ? {
            title: "Returns",
            body: [
              `You can return items within ${s.returnWindowDays} ${s.returnWindowDays === 1 ? "day" : "days"} of delivery.`,
              [
                "- Open your order from the link in your order confirmation email.",
                "- Under “Return items”, choose what you are sending back and tell us why.",
                "- We reply by email with what to do next.",
              ].join("\n"),
              `Once the items reach us, we refund them in ${s.currency} to the way you paid.`,
            ].join("\n\n"),
          }
        : {
            title: "Returns",
            body: [
              `${s.shopName} does not take returns on orders.`,
              "If something arrives damaged or is not what you ordered, get in touch through the contact page and we will put it right.",
            ].join("\n\n"),
          };
    case "privacy":
      return {
        title: "Privacy",
        body: [
          `${s.shopName} keeps only what it needs to take and deliver your order.`,
          [
            "- Your email address, to send your order confirmation and shipping updates.",
            "- Your shipping address, to deliver your order and work out shipping and tax.",
            "- What you bought, for your order page and any return.",
          ].join("\n"),
          "Payments are handled by our payment provider; we never see or store your card number. A cookie remembers your cart on this device. We send a cart reminder only if you ask for one, and we never sell your data.",
          "To see or delete what we hold about you, get in touch through the contact page.",
        ].join("\n\n"),
      };
    case "terms":
      return {
        title: "Terms of sale",
        body: [
          `These terms apply to orders placed with ${s.shopName}.`,
          [
            `- Prices are shown in ${s.currency}; shipping and tax are added at checkout before you pay.`,
            "- Your order is confirmed once the payment succeeds.",
            "- If an item cannot be supplied after all, we cancel it and refund you in full.",
            s.returnWindowDays > 0
              ? `- You can return items within ${s.returnWindowDays} ${s.returnWindowDays === 1 ? "day" : "days"} of delivery (see the returns page).`
              : "- We do not take returns; see the returns page for damaged or wrong items.",
          ].join("\n"),
          "Nothing in these terms affects your rights under the law of the country you live in.",
        ].join("\n\n"),
      };
    case "contact":
      return {
        title: "Contact us",
        body: [
          `Questions about an order, a delivery or a return? The ${s.shopName} team is happy to help.`,
          [
            "- Reply to any email we sent you about your order.",
            "- Give your order number (it starts with “ord_”) so we can find it quickly.",
          ].join("\n"),
          "We answer within two working days.",
        ].join("\n\n"),
      };
  }
}

/** A block of an info page's body: a paragraph or a bulleted list. */
export type InfoBlock = { kind: "paragraph"; lines: string[] } | { kind: "list"; items: string[] };

/**
 * An info page's plain-text body as blocks: blank lines separate paragraphs, and lines starting
 * with "- " are list items. Nothing in the text is markup.
 */
export function infoBlocks(body: string): InfoBlock[] {
  const blocks: InfoBlock[] = [];
  for (const chunk of body.replace(/\r\n?/g, "\n").split(/\n[ \t]*\n/)) {
    let current: InfoBlock | undefined;
    for (const raw of chunk.split("\n")) {
      const line = raw.trim();
      if (!line) continue;
      const item = /^- +(.*)$/.exec(line);
      if (item) {
        if (current?.kind !== "list") {
          current = { kind: "list", items: [] };
          blocks.push(current);
        }
        current.items.push(item[1] as string);
      } else {
        if (current?.kind !== "paragraph") {
          current = { kind: "paragraph", lines: [] };
          blocks.push(current);
        }
        current.lines.push(line);
      }
    }
  }
  return blocks;
}
