import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";

/**
 * Deploys the registry. Governance (the default admin and first governor) is the `governor` parameter,
 * or the deploying account; `adminDelay` is the AccessControlDefaultAdminRules delay in seconds for
 * handing governance over (e.g. to a consortium multisig).
 *
 *   npx hardhat ignition deploy ignition/modules/IntygRegistry.ts --network localhost
 *   INTYG_RPC_URL=… INTYG_DEPLOYER_KEY=… npx hardhat ignition deploy ignition/modules/IntygRegistry.ts --network custom
 *
 * Ignition records each step under ignition/deployments/, so an interrupted deployment resumes.
 */
export default buildModule("IntygRegistry", (m) => {
  const governor = m.getParameter("governor", m.getAccount(0));
  const adminDelay = m.getParameter("adminDelay", 0);
  const registry = m.contract("IntygRegistry", [adminDelay, governor]);
  return { registry };
});
