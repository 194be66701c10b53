// viem ships CommonJS code but ESM-only type declarations, which TypeScript's node16 resolution refuses to
// `require` from a CommonJS package (TS1479), although Node and bundlers load viem's CommonJS or ESM build
// without trouble. So this one module marks its import of viem as an expected error; the declarations still
// resolve and every type flows through. Every other module imports viem from here.

export {
  type Address,
  bytesToHex,
  getAddress,
  type Hex,
  hashTypedData,
  hexToBigInt,
  isAddress,
  isAddressEqual,
  keccak256,
  type LocalAccount,
  recoverAddress,
  slice,
  stringToBytes,
  zeroAddress,
  // @ts-expect-error TS1479, see above
} from "viem";
