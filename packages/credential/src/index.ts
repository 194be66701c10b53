export * from "./eip712";
