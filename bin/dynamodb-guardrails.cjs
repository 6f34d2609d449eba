#!/usr/bin/env node
// `npx dynamodb-guardrails check <path>` where this package is installed (npm install <git URL or path>).
// Runs the TypeScript sources through tsx, as `npm run check` does.
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const [command, ...args] = process.argv.slice(2);
const commands = { check: 'stacks/check/cli.ts' };
if (!commands[command]) {
  console.error(`usage: dynamodb-guardrails check <plan.json | terraform dir | cdktf.out> [options]   (dynamodb-guardrails check --help)`);
  process.exit(2);
}
const root = path.join(__dirname, '..');
const tsx = require.resolve('tsx/cli', { paths: [root] });
const run = spawnSync(process.execPath, [tsx, path.join(root, commands[command]), ...args], { stdio: 'inherit' });
process.exit(run.status ?? 1);
