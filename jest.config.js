// Jest configuration. GUARDRAILS_FLAVOUR=cdk-terrain maps the sources' cdktf, @cdktf/provider-aws and constructs
// imports to the CDK Terrain packages in flavours/cdk-terrain (flavours/flavour.cjs, help/cdk-terrain.md).
const { flavour } = require('./flavours/flavour.cjs');

const selected = flavour();
const escape = (name) => name.replace(/[/\\^$.*+?()[\]{}|-]/g, '\\$&');
const moduleNameMapper = Object.fromEntries(
  Object.entries(selected.packages).flatMap(([from, to]) => [
    [`^${escape(from)}$`, `${selected.nodeModules}/${to}`],
    [`^${escape(from)}/(.*)$`, `${selected.nodeModules}/${to}/$1`],
  ]),
);

module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/__tests__'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.ts$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } }],
  },
  moduleNameMapper,
  globalSetup: '<rootDir>/__tests__/support/global-setup.ts',
  globalTeardown: '<rootDir>/__tests__/support/global-teardown.ts',
  testTimeout: 60000,
  maxWorkers: 2,
};
