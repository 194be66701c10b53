import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";
import { network } from "hardhat";

/** The default admin delay, seconds: how long a scheduled governor grant or a governance hand-over waits. */
export const ADMIN_DELAY_SECONDS = 3 * 24 * 3600;

/** Networks where governance may act at once: the in-process chain and a local node. */
const LOCAL_NETWORKS = new Set(["hardhat", "localhost"]);

/**
 * Deploys the registry (which deploys its soulbound token). Governance (the default admin and first governor) is
 * the `governor` parameter, or the deploying account; `adminDelay` is the AccessControlDefaultAdminRules delay in
 * seconds — three days unless given, on every network but a local one (0 there). Every governor grant waits it
 * out in public (`scheduleRoleGrant`, then `grantRole`), and so does a hand-over of governance (e.g. to a
 * multisig: README, "Governance").
 *
 *   npx hardhat ignition deploy ignition/modules/IntygRegistry.ts --network localhost
 *   INTYG_RPC_URL=… INTYG_DEPLOYER_KEY=… npx hardhat ignition deploy ignition/modules/IntygRegistry.ts --network custom
 *
 * Ignition records each step under ignition/deployments/, so an interrupted deployment resumes.
 */
export default buildModule("IntygRegistry", (m) => {
  const governor = m.getParameter("governor", m.getAccount(0));
  const adminDelay = m.getParameter("adminDelay", LOCAL_NETWORKS.has(network.name) ? 0 : ADMIN_DELAY_SECONDS);
  const registry = m.contract("IntygRegistry", [adminDelay, governor]);
  return { registry };
});
