export * from "./audit";
export * from "./carts";
export * from "./catalog";
export * from "./orders";
export * from "./relations";
