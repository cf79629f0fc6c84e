// Installs the test backend's packages (package-lock.json) and builds its two native modules, once: a stamp in
// node_modules records what was installed, and a second run with the same lock file and Node.js is a no-op.
//   node install.js
// Needs: Node.js 20 (22 works for the packages but is not what the lock was made on), npm, the npm registry, a C++
// tool chain for node-gyp (g++, make, python3) and Node.js's headers under its own prefix (include/node; Debian's
// libnode-dev or the nodejs package of NodeSource). Nothing is downloaded but npm packages.
//
// Why not a plain `npm ci`: recent npm versions skip install scripts that were not approved, and the scripts of
// better-sqlite3 and isolated-vm would first try to download prebuilt binaries from GitHub; so scripts are
// skipped and the two modules are built here from source with the node-gyp of package.json, against the headers
// of the Node.js that runs this script (--nodedir), so that node-gyp downloads nothing either.
'use strict';

const { spawnSync } = require('child_process');
const crypto = require('crypto');
const fs = require('fs');
const path = require('path');

const here = __dirname;
const modules = path.join(here, 'node_modules');
const stampFile = path.join(modules, '.paver-install-stamp');
const natives = [
  { name: 'better-sqlite3', built: 'build/Release/better_sqlite3.node' },
  { name: 'isolated-vm', built: 'out/isolated_vm.node' },
];

function fail(message) {
  console.error(`install.js: ${message}`);
  process.exit(1);
}

function run(command, args, cwd) {
  console.log(`install.js: ${path.relative(here, cwd) || '.'}: ${[command, ...args].join(' ')}`);
  const result = spawnSync(command, args, { cwd, stdio: 'inherit', timeout: 30 * 60 * 1000 });
  if (result.error) {
    fail(`cannot run ${command}: ${result.error.message}`);
  }
  if (result.status !== 0) {
    fail(`${command} ${args[0]} in ${cwd} ended with ${result.status ?? result.signal}`);
  }
}

const major = Number(process.versions.node.split('.')[0]);
if (major < 20) {
  fail(`Node.js ${process.version} is too old: the Backstage packages and better-sqlite3 12 need Node.js 20 or 22`);
}
const lock = fs.readFileSync(path.join(here, 'package-lock.json'));
const stamp = crypto.createHash('sha256').update(lock).update(`\n${process.version} ${process.platform} ${process.arch}\n`)
  .digest('hex');
const installed = fs.existsSync(stampFile) && fs.readFileSync(stampFile, 'utf8').trim() === stamp
  && natives.every(n => fs.existsSync(path.join(modules, n.name, n.built)));
if (installed) {
  console.log('install.js: the Backstage test backend is installed and up to date');
  process.exit(0);
}

const prefix = path.dirname(path.dirname(process.execPath));
const headers = path.join(prefix, 'include', 'node');
for (const file of ['node.h', 'common.gypi']) {
  if (!fs.existsSync(path.join(headers, file))) {
    fail(`${file} of Node.js's headers is not in ${headers}: install the headers of this Node.js ${process.version} `
      + '(Debian: libnode-dev; NodeSource\'s nodejs has them) so that node-gyp builds better-sqlite3 and isolated-vm '
      + 'without downloading anything');
  }
}
const started = Date.now();
run('npm', ['ci', '--ignore-scripts', '--no-audit', '--no-fund'], here);
const gyp = path.join(modules, 'node-gyp', 'bin', 'node-gyp.js');
for (const n of natives) {
  run(process.execPath, [gyp, 'rebuild', '--release', `--nodedir=${prefix}`, '--jobs=max'], path.join(modules, n.name));
  if (!fs.existsSync(path.join(modules, n.name, n.built))) {
    fail(`node-gyp did not build ${n.built} of ${n.name}`);
  }
}
fs.writeFileSync(stampFile, `${stamp}\n`);
console.log(`install.js: installed in ${Math.round((Date.now() - started) / 1000)} s`);
