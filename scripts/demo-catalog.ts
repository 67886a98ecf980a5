// Deterministic demo catalog: the same seed always yields the same shop, so demos and
// benchmarks are comparable. Pure TypeScript (runs in Node and in workerd tests).

export interface DemoOptions {
  seed?: number;
  productsPerLeaf?: number;
  now?: Date;
  currency?: string;
}

interface Leaf {
  slug: string;
  materials: string[];
  name: string;
  description: string;
  nouns: string[];
  priceRange: [number, number];
  options: Record<string, string[]>;
  weightGrams: [number, number];
}

interface Parent {
  slug: string;
  name: string;
  description: string;
  leaves: Leaf[];
}

const COLOURS = ["Black", "Navy", "Oat", "Forest", "Rust", "Slate", "Sand", "Plum"];
const SIZES = ["XS", "S", "M", "L", "XL", "XXL"];

const TREE: Parent[] = [
  {
    slug: "apparel",
    name: "Apparel",
    description: "Everyday clothing made to last.",
    leaves: [
      {
        slug: "t-shirts",
        materials: ["Merino", "Organic Cotton", "Slub Cotton", "Hemp", "Pima Cotton"],
        name: "T-Shirts",
        description: "Soft tees in organic cotton and merino.",
        nouns: ["Crew Tee", "Pocket Tee", "Long Sleeve Tee", "Henley", "Raglan Tee"],
        priceRange: [18, 45],
        options: { size: SIZES, colour: COLOURS },
        weightGrams: [150, 260],
      },
      {
        slug: "hoodies",
        materials: ["Loopback", "Organic Cotton", "Recycled Fleece", "Brushed", "Heavyweight"],
        name: "Hoodies & Sweatshirts",
        description: "Heavyweight fleece for cold mornings.",
        nouns: ["Hoodie", "Zip Hoodie", "Crewneck Sweatshirt", "Quarter Zip"],
        priceRange: [48, 110],
        options: { size: SIZES, colour: COLOURS },
        weightGrams: [450, 800],
      },
      {
        slug: "jackets",
        materials: ["Waxed", "Ripstop", "Recycled", "Canvas", "Wool"],
        name: "Jackets",
        description: "Shells, insulated layers and chore coats.",
        nouns: ["Chore Coat", "Rain Shell", "Puffer Jacket", "Fleece Jacket", "Wind Jacket"],
        priceRange: [89, 260],
        options: { size: SIZES, colour: COLOURS.slice(0, 5) },
        weightGrams: [400, 1200],
      },
      {
        slug: "socks",
        materials: ["Merino", "Cushioned", "Wool Blend", "Organic Cotton"],
        name: "Socks",
        description: "Cushioned socks for walking and hiking.",
        nouns: ["Hiking Socks", "Crew Socks", "Ankle Socks", "Wool Socks"],
        priceRange: [9, 26],
        options: { size: ["S", "M", "L"], colour: COLOURS.slice(0, 4) },
        weightGrams: [40, 90],
      },
    ],
  },
  {
    slug: "home-kitchen",
    name: "Home & Kitchen",
    description: "Things for the places you spend the most time.",
    leaves: [
      {
        slug: "mugs",
        materials: ["Stoneware", "Enamel", "Ceramic", "Steel", "Glass"],
        name: "Mugs & Drinkware",
        description: "Stoneware mugs, tumblers and bottles.",
        nouns: ["Mug", "Tumbler", "Water Bottle", "Travel Cup", "Espresso Cup"],
        priceRange: [12, 42],
        options: { capacity: ["250 ml", "350 ml", "500 ml"], colour: COLOURS.slice(2, 7) },
        weightGrams: [200, 500],
      },
      {
        slug: "cookware",
        materials: ["Cast Iron", "Carbon Steel", "Tri-Ply", "Copper", "Enamelled"],
        name: "Cookware",
        description: "Pans and pots that go from hob to oven.",
        nouns: ["Skillet", "Dutch Oven", "Saucepan", "Wok", "Stock Pot"],
        priceRange: [35, 240],
        options: { size: ["20 cm", "24 cm", "28 cm"] },
        weightGrams: [900, 5200],
      },
      {
        slug: "bedding",
        materials: ["Linen", "Percale", "Sateen", "Washed Cotton", "Wool"],
        name: "Bedding",
        description: "Linen and percale for better sleep.",
        nouns: ["Duvet Cover", "Sheet Set", "Pillowcase Pair", "Throw Blanket"],
        priceRange: [30, 220],
        options: { size: ["Single", "Double", "Queen", "King"], colour: ["White", "Oat", "Slate", "Sage"] },
        weightGrams: [500, 2400],
      },
      {
        slug: "lighting",
        materials: ["Brass", "Walnut", "Ceramic", "Linen Shade", "Aluminium"],
        name: "Lighting",
        description: "Lamps and lights with warm, even glow.",
        nouns: ["Desk Lamp", "Floor Lamp", "Pendant Light", "Lantern", "Reading Light"],
        priceRange: [25, 320],
        options: { finish: ["Brass", "Black", "White", "Walnut"] },
        weightGrams: [600, 4800],
      },
    ],
  },
  {
    slug: "outdoor",
    name: "Outdoor",
    description: "Gear for trails, camps and long weekends.",
    leaves: [
      {
        slug: "backpacks",
        materials: ["Ripstop", "Waxed Canvas", "Recycled", "Cordura", "Sailcloth"],
        name: "Backpacks",
        description: "Daypacks and travel packs.",
        nouns: ["Daypack", "Roll-Top Pack", "Travel Pack", "Hip Pack", "Sling"],
        priceRange: [35, 230],
        options: { capacity: ["12 L", "20 L", "28 L", "35 L"], colour: COLOURS.slice(0, 4) },
        weightGrams: [300, 1600],
      },
      {
        slug: "camping",
        materials: ["Ultralight", "Packable", "Aluminium", "Ripstop", "Insulated"],
        name: "Camping",
        description: "Sleep, cook and sit comfortably outside.",
        nouns: ["Camp Chair", "Sleeping Pad", "Camp Stove", "Hammock", "Tarp"],
        priceRange: [25, 280],
        options: { colour: ["Olive", "Sand", "Orange"] },
        weightGrams: [400, 3000],
      },
      {
        slug: "bottles-flasks",
        materials: ["Insulated", "Steel", "Titanium", "Vacuum"],
        name: "Bottles & Flasks",
        description: "Insulated bottles for hot and cold.",
        nouns: ["Insulated Bottle", "Flask", "Food Jar", "Growler"],
        priceRange: [18, 60],
        options: { capacity: ["500 ml", "750 ml", "1 L"], colour: COLOURS.slice(0, 6) },
        weightGrams: [250, 700],
      },
    ],
  },
  {
    slug: "stationery",
    name: "Stationery",
    description: "Paper and pens for planning and sketching.",
    leaves: [
      {
        slug: "notebooks",
        materials: ["Linen", "Kraft", "Lay-Flat", "Cloth-Bound", "Pocket"],
        name: "Notebooks",
        description: "Dot grid, lined and blank notebooks.",
        nouns: ["Notebook", "Sketchbook", "Planner", "Field Notes Pack", "Journal"],
        priceRange: [8, 38],
        options: { ruling: ["Dot Grid", "Lined", "Blank"], size: ["A5", "A6"] },
        weightGrams: [80, 400],
      },
      {
        slug: "pens",
        materials: ["Brass", "Aluminium", "Resin", "Bamboo", "Steel"],
        name: "Pens & Pencils",
        description: "Writing tools that feel good in the hand.",
        nouns: ["Fountain Pen", "Rollerball", "Mechanical Pencil", "Fineliner Set", "Brush Pen"],
        priceRange: [4, 120],
        options: { colour: ["Black", "Blue", "Green", "Red"] },
        weightGrams: [10, 60],
      },
    ],
  },
  {
    slug: "accessories",
    name: "Accessories",
    description: "The small things you reach for every day.",
    leaves: [
      {
        slug: "hats",
        materials: ["Wool", "Waxed", "Organic Cotton", "Corduroy", "Ripstop"],
        name: "Hats & Caps",
        description: "Caps and beanies for every season.",
        nouns: ["Beanie", "Five Panel Cap", "Bucket Hat", "Trucker Cap"],
        priceRange: [16, 48],
        options: { colour: COLOURS } as Record<string, string[]>,
        weightGrams: [60, 160],
      },
      {
        slug: "wallets",
        materials: ["Leather", "Waxed Canvas", "Cork", "Nylon"],
        name: "Wallets",
        description: "Slim wallets and card holders.",
        nouns: ["Card Holder", "Bifold Wallet", "Coin Pouch", "Zip Wallet"],
        priceRange: [20, 95],
        options: { colour: ["Tan", "Black", "Brown"] },
        weightGrams: [40, 140],
      },
      {
        slug: "bags",
        materials: ["Canvas", "Waxed", "Recycled", "Leather", "Nylon"],
        name: "Totes & Bags",
        description: "Canvas totes, duffels and pouches.",
        nouns: ["Tote", "Duffel", "Market Bag", "Zip Pouch", "Crossbody Bag"],
        priceRange: [15, 180],
        options: { colour: COLOURS.slice(0, 5) },
        weightGrams: [150, 1400],
      },
    ],
  },
];

const ADJECTIVES = [
  "Alpine",
  "Harbor",
  "Canyon",
  "Meadow",
  "Summit",
  "Coastal",
  "Northern",
  "Prairie",
  "Cedar",
  "Granite",
  "Juniper",
  "Willow",
  "Ember",
  "Tidal",
  "Aspen",
  "Birch",
  "Dune",
  "Glacier",
  "Heritage",
  "Midnight",
];
const BRANDS = [
  "Northwind Supply",
  "Fieldhouse",
  "Larkspur & Co",
  "Tallow Works",
  "Greyfell",
  "Otter Goods",
  "Marlow Studio",
  "Kettle & Pine",
  "Bramble Outfitters",
  "Quarry Lane",
  "Saltmarsh",
  "Heron Made",
];
const PHRASES = [
  "Designed for daily use and built to last for years.",
  "Made in small batches by a family-run workshop.",
  "Easy to care for and better with age.",
  "Thoughtful details you notice every time you use it.",
  "Backed by our two-year repair-or-replace promise.",
  "Packed in recycled, plastic-free packaging.",
  "A quiet classic that goes with everything.",
  "Tested on long trips before it ever reached the shop.",
];

function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function slugify(text: string): string {
  return text
    .toLowerCase()
    .replace(/&/g, "and")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
}

/** One generated category. */
export interface DemoCategory {
  id: number;
  slug: string;
  name: string;
  description: string;
  parentId: number | null;
  position: number;
}

/** One generated variant with its opening stock. */
export interface DemoVariant {
  id: number;
  productId: number;
  sku: string;
  title: string;
  options: Record<string, string>;
  priceAmount: number;
  compareAtAmount: number | null;
  weightGrams: number;
  position: number;
  stock: number;
}

/** One generated product. */
export interface DemoProduct {
  id: number;
  slug: string;
  title: string;
  description: string;
  brand: string;
  featured: boolean;
  publishedAt: number;
  categoryId: number;
  variants: DemoVariant[];
}

/** The whole generated shop. */
export interface DemoCatalog {
  categories: DemoCategory[];
  products: DemoProduct[];
  currency: string;
  now: number;
}

function cartesian(options: Record<string, string[]>): Record<string, string>[] {
  let combos: Record<string, string>[] = [{}];
  for (const [name, values] of Object.entries(options)) {
    combos = combos.flatMap((c) => values.map((v) => ({ ...c, [name]: v })));
  }
  return combos;
}

/** Generates the demo shop (defaults: 19 categories, 518 products, 1–6 variants each). */
export function demoCatalog(options: DemoOptions = {}): DemoCatalog {
  const random = rng(options.seed ?? 20261121);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  const between = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));
  const now = (options.now ?? new Date("2026-11-01T00:00:00Z")).getTime();
  const perLeaf = options.productsPerLeaf ?? 37;
  const categories: DemoCategory[] = [];
  const products: DemoProduct[] = [];
  const usedSlugs = new Set<string>();
  let variantId = 0;

  TREE.forEach((parent, pi) => {
    const parentId = categories.length + 1;
    categories.push({ id: parentId, slug: parent.slug, name: parent.name, description: parent.description, parentId: null, position: pi });
    parent.leaves.forEach((leaf, li) => {
      const leafId = categories.length + 1;
      categories.push({ id: leafId, slug: leaf.slug, name: leaf.name, description: leaf.description, parentId, position: li });
      for (let n = 0; n < perLeaf; n++) {
        const id = products.length + 1;
        const title = `${pick(ADJECTIVES)} ${pick(leaf.materials)} ${pick(leaf.nouns)}`;
        let slug = slugify(title);
        for (let k = 2; usedSlugs.has(slug); k++) slug = `${slugify(title)}-${k}`;
        usedSlugs.add(slug);
        const brand = pick(BRANDS);
        const dollars = between(leaf.priceRange[0], leaf.priceRange[1]);
        const base = dollars * 100 + pick([0, 0, 50, 95, 99]);
        const combos = cartesian(leaf.options);
        const count = Math.min(combos.length, between(1, 6));
        const start = between(0, Math.max(0, combos.length - count));
        const chosen = combos.slice(start, start + count);
        const onSale = random() < 0.12;
        const skuStem = `${leaf.slug
          .replace(/[^a-z]/g, "")
          .slice(0, 3)
          .toUpperCase()}-${String(id).padStart(4, "0")}`;
        const variants = chosen.map((combo, position): DemoVariant => {
          const upcharge = combo.size === "XXL" || combo.size === "King" || combo.capacity === "1 L" ? 200 : 0;
          const roll = random();
          return {
            id: ++variantId,
            productId: id,
            sku: `${skuStem}-${position + 1}`,
            title: Object.values(combo).join(" / ") || "Default",
            options: combo,
            priceAmount: base + upcharge,
            compareAtAmount: onSale ? Math.round(((base + upcharge) * 13) / 1000) * 100 : null,
            weightGrams: between(leaf.weightGrams[0], leaf.weightGrams[1]),
            position,
            stock: roll < 0.08 ? 0 : roll < 0.2 ? between(1, 5) : between(6, 150),
          };
        });
        const sentences = [pick(PHRASES), pick(PHRASES), pick(PHRASES)];
        products.push({
          id,
          slug,
          title,
          description: `The ${title} from ${brand}. ${sentences[0]}\n\n${sentences[1]} ${sentences[2]}`,
          brand,
          featured: random() < 0.03,
          publishedAt: now - between(0, 365) * 86_400_000 - between(0, 86_399) * 1000,
          categoryId: leafId,
          variants,
        });
      }
    });
  });
  return { categories, products, currency: options.currency ?? "USD", now };
}

const lit = (v: string | number | boolean | null): string =>
  v === null ? "NULL" : typeof v === "number" ? String(v) : typeof v === "boolean" ? (v ? "1" : "0") : `'${v.replace(/'/g, "''")}'`;

function insert(table: string, columns: string[], rows: (string | number | boolean | null)[][]): string[] {
  const out: string[] = [];
  for (let i = 0; i < rows.length; i += 50) {
    const values = rows
      .slice(i, i + 50)
      .map((r) => `(${r.map(lit).join(", ")})`)
      .join(",\n  ");
    out.push(`INSERT OR IGNORE INTO ${table} (${columns.join(", ")}) VALUES\n  ${values};`);
  }
  return out;
}

/** The demo catalog as idempotent SQL statements (INSERT OR IGNORE with fixed ids). */
export function demoCatalogSql(catalog: DemoCatalog = demoCatalog()): string[] {
  const t = catalog.now;
  const variants = catalog.products.flatMap((p) => p.variants);
  return [
    ...insert(
      "categories",
      ["id", "slug", "name", "description", "parent_id", "position", "created_at", "updated_at"],
      catalog.categories.map((c) => [c.id, c.slug, c.name, c.description, c.parentId, c.position, t, t]),
    ),
    ...insert(
      "products",
      ["id", "slug", "title", "description", "brand", "status", "featured", "published_at", "created_at", "updated_at"],
      catalog.products.map((p) => [
        p.id,
        p.slug,
        p.title,
        p.description,
        p.brand,
        "published",
        p.featured,
        p.publishedAt,
        p.publishedAt,
        p.publishedAt,
      ]),
    ),
    ...insert(
      "variants",
      [
        "id",
        "product_id",
        "sku",
        "title",
        "options",
        "price_amount",
        "currency",
        "compare_at_amount",
        "weight_grams",
        "position",
        "created_at",
        "updated_at",
      ],
      variants.map((v) => [
        v.id,
        v.productId,
        v.sku,
        v.title,
        JSON.stringify(v.options),
        v.priceAmount,
        catalog.currency,
        v.compareAtAmount,
        v.weightGrams,
        v.position,
        t,
        t,
      ]),
    ),
    ...insert(
      "product_categories",
      ["product_id", "category_id", "position"],
      catalog.products.map((p) => [p.id, p.categoryId, 0]),
    ),
    ...insert(
      "stock_levels",
      ["sku", "available", "low_stock_threshold", "updated_at"],
      variants.map((v) => [v.sku, v.stock, 5, t]),
    ),
  ];
}
