#!/usr/bin/env node
// The intyg command line. The package is TypeScript loaded from source, so tsx compiles it on the fly.

require("tsx/cjs/api").register();
require("../src/main.ts")
  .main(process.argv)
  .then((code) => {
    process.exitCode = code;
  });
