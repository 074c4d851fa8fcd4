/**
 * jest.config.js `globalSetup`: runs once before the workers start, which inherit its
 * environment, and so do the processes the tests start. Those load @pulumi/pulumi's
 * closure-serializer dependencies on first use (lazy/preload.js), as the suites do.
 */
"use strict";
const path = require("node:path");

module.exports = () => {
  const preload = `--require ${JSON.stringify(path.join(__dirname, "lazy", "preload.js"))}`;
  const options = process.env.NODE_OPTIONS ?? "";
  if (!options.includes(preload)) process.env.NODE_OPTIONS = `${options} ${preload}`.trim();
};
