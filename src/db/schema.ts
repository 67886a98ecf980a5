export * from "./audit";
export * from "./catalog";
export * from "./relations";
