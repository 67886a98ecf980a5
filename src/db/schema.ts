export * from "./audit";
export * from "./carts";
export * from "./catalog";
export * from "./events";
export * from "./jobs";
export * from "./media";
export * from "./orders";
export * from "./relations";
