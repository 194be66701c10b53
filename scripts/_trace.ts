import { network } from "hardhat";
import { deployRegistry, issueRequest, signIssue } from "../test/contracts/fixtures";
async function main() {
  const f = await deployRegistry();
  const { registry, key, relayer, holder, conference, chainId, address } = f;
  const withToken = issueRequest({ eventId: conference, holder: holder.address as `0x${string}` });
  const tx = await registry.connect(relayer).issueSigned(withToken, await signIssue(key, chainId, address, withToken));
  const trace: any = await network.provider.send("debug_traceTransaction", [tx.hash, { disableStorage: true, disableMemory: true }]);
  const logs = trace.structLogs;
  const d2 = logs.filter((l: any) => l.depth === 2);
  const s2 = d2[0].gas;
  console.log(d2.map((l: any) => `${l.pc} ${l.op} ${s2 - l.gas} ${l.gasCost}`).join("\n"));
}
main();
