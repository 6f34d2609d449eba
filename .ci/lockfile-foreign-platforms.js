#!/usr/bin/env node
/**
 * Our npm registry mirror serves only the Linux x64/arm64 builds of native packages, so `npm install` leaves the
 * other platforms' optional packages (e.g. @swc/core-darwin-arm64) out of package-lock.json, and `npm ci` then
 * refuses the lock file as "out of sync". This adds a stub entry (version, optional, os, cpu) for each missing
 * optional platform package; npm skips them on Linux and real registries resolve them elsewhere.
 *
 *   node .ci/lockfile-foreign-platforms.js     (run after any `npm install` that changes the lock file)
 */
const fs = require('fs');
const path = require('path');

const LOCK = path.join(__dirname, '..', 'package-lock.json');
const OSES = ['darwin', 'win32', 'linux', 'android', 'freebsd', 'openbsd', 'netbsd', 'sunos', 'aix', 'openharmony'];
const CPUS = [['arm64', 'arm64'], ['x64', 'x64'], ['ia32', 'ia32'], ['arm', 'arm'], ['ppc64', 'ppc64'], ['s390x', 's390x'], ['riscv64', 'riscv64'], ['loong64', 'loong64'], ['wasm32', 'wasm32']];

function platformOf(name) {
  const parts = name.split('/').pop().split('-');
  const os = OSES.find((candidate) => parts.includes(candidate));
  const cpu = CPUS.find(([token]) => parts.includes(token));
  return { os: os ? [os] : undefined, cpu: cpu ? [cpu[1]] : undefined };
}

const lock = JSON.parse(fs.readFileSync(LOCK, 'utf8'));
let added = 0;
for (const [location, entry] of Object.entries(lock.packages)) {
  for (const [name, version] of Object.entries(entry.optionalDependencies ?? {})) {
    const base = location === '' ? '' : `${location}/`;
    const candidates = [`${base}node_modules/${name}`, `node_modules/${name}`];
    if (candidates.some((candidate) => lock.packages[candidate])) continue;
    const { os, cpu } = platformOf(name);
    if (!os && !cpu) continue;
    lock.packages[`node_modules/${name}`] = { version, optional: true, ...(os && { os }), ...(cpu && { cpu }) };
    added += 1;
  }
}
lock.packages = Object.fromEntries(Object.entries(lock.packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b))));
fs.writeFileSync(LOCK, `${JSON.stringify(lock, null, 2)}\n`);
console.log(`added ${added} foreign-platform optional package stubs to package-lock.json`);
