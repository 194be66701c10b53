import path from "node:path";
import "@nomicfoundation/hardhat-toolbox";
import { TASK_COMPILE, TASK_COMPILE_SOLIDITY_GET_SOLC_BUILD } from "hardhat/builtin-tasks/task-names";
import { type HardhatUserConfig, subtask, task } from "hardhat/config";
import { exportAbi } from "./packages/registry/scripts/export-abi";

// The one pinned compiler: the same version as the `solc` npm package in package.json.
// Hardhat cannot download compilers on this network, so it runs the WASM build from npm.
export const SOLC_VERSION = "0.8.28";

subtask(TASK_COMPILE_SOLIDITY_GET_SOLC_BUILD).setAction(
  async (args: { solcVersion: string }, _hre, runSuper) => {
    if (args.solcVersion !== SOLC_VERSION) return runSuper(args);
    const solcPackage = require("solc/package.json") as { version: string };
    if (solcPackage.version !== SOLC_VERSION) {
      throw new Error(`solc npm package is ${solcPackage.version}, config pins ${SOLC_VERSION}`);
    }
    return {
      compilerPath: path.join(path.dirname(require.resolve("solc/package.json")), "soljson.js"),
      isSolcJs: true,
      version: SOLC_VERSION,
      longVersion: require("solc").version() as string,
    };
  },
);

// Keep packages/registry in step with the contract (skipped under solidity-coverage's instrumented build).
task(TASK_COMPILE).setAction(async (args, hre, runSuper) => {
  const result = await runSuper(args);
  if (!(hre as unknown as { __SOLIDITY_COVERAGE_RUNNING?: boolean }).__SOLIDITY_COVERAGE_RUNNING) {
    if (exportAbi(hre.config.paths.artifacts)) console.log("Updated packages/registry/src/generated.ts");
  }
  return result;
});

const rpcUrl = process.env.INTYG_RPC_URL;
const deployerKey = process.env.INTYG_DEPLOYER_KEY;

const config: HardhatUserConfig = {
  solidity: {
    version: SOLC_VERSION,
    settings: {
      // Issuance is the hot path, but the registry must keep at least 2 KB under EIP-170's 24,576 bytes:
      // 2,000 runs is the highest setting that leaves that margin (see bench/results/gas.md).
      optimizer: { enabled: true, runs: 2_000 },
      evmVersion: "cancun",
      viaIR: false,
    },
  },
  networks: {
    hardhat: { chainId: 31337 },
    localhost: { url: "http://127.0.0.1:8545", chainId: 31337 },
    ...(rpcUrl ? { custom: { url: rpcUrl, accounts: deployerKey ? [deployerKey] : [] } } : {}),
  },
  paths: { sources: "contracts", tests: "test/contracts", cache: "cache", artifacts: "artifacts" },
  mocha: { timeout: 120_000 },
  gasReporter: { enabled: false },
};

export default config;
