#!/usr/bin/env node
// The intyg command line: the bundle in dist/ while it is current (it starts in a fraction of the time), else
// the TypeScript sources, compiled on the fly by tsx. INTYG_CLI_FROM_SOURCE=1 always runs the sources;
// INTYG_CLI_TRACE_LOAD=1 says on stderr which was run, and why.

const path = require("node:path");
const { bundleState } = require("./bundle-state.js");

const state = process.env.INTYG_CLI_FROM_SOURCE
  ? { fresh: false, reason: "INTYG_CLI_FROM_SOURCE is set" }
  : bundleState(path.join(__dirname, ".."));
let entry;
if (state.fresh) {
  entry = require(state.bundle);
} else {
  require("tsx/cjs/api").register();
  entry = require("../src/main.ts");
}
if (process.env.INTYG_CLI_TRACE_LOAD) {
  process.stderr.write(`intyg: running ${state.fresh ? "the bundle" : `from source (${state.reason})`}\n`);
}
entry.main(process.argv).then((code) => {
  process.exitCode = code;
});
