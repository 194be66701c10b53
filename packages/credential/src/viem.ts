// The one place the credential package imports viem from, so that the parts of viem the format depends on
// are listed together (and a browser bundle can see them at a glance).

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
  sha256,
  slice,
  stringToBytes,
  zeroAddress,
} from "viem";
