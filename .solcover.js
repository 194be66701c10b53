module.exports = {
  skipFiles: ["interfaces/", "test/"],
  istanbulReporter: ["json-summary", "text", "lcov"],
  configureYulOptimizer: true,
};
