import { easPeer, openAttestationBatch, verifyEas, verifyOpenAttestation } from "./peers";

async function main() {
  const oa = openAttestationBatch(1000, "0x9178F546D3FF57D7A6352bD61B80cCCD46199C2d");
  let t = performance.now();
  verifyOpenAttestation(oa);
  console.log("oa", performance.now() - t, oa[0]!.length);
  const eas = easPeer(31337, "0x5FbDB2315678afecb367f032d93F642f64180aa3");
  const texts = [];
  t = performance.now();
  for (let i = 0; i < 200; i++) texts.push(await eas.sign(i));
  console.log("eas sign", (performance.now() - t) / 200);
  t = performance.now();
  verifyEas(eas, texts);
  console.log("eas verify", (performance.now() - t) / 200);
}
main();
