// Builds the Node-API addon (addon/, binding.gyp) with node-gyp, then the helper program
// (helper/*.c → build/parallax-helper) with the machine's C compiler. Run by `npm install` (the package's "install" script) and by `npm run build:native`.
//
// Isolation is Linux-only, and in-process pipelines must work everywhere, so this script never fails
// the install: on another platform it skips the build, and when the build fails (no compiler, no
// Python for node-gyp, no headers) it says so and records why in build/BUILD-FAILED.txt, which
// src/isolation/native.ts quotes when it is asked for the addon. A helper that fails to build is
// recorded the same way in build/HELPER-BUILD-FAILED.txt (src/isolation/helper-client.ts quotes it).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const failedFile = join(here, 'build', 'BUILD-FAILED.txt');
const helperFailedFile = join(here, 'build', 'HELPER-BUILD-FAILED.txt');

function skip(reason) {
  mkdirSync(dirname(failedFile), { recursive: true });
  writeFileSync(failedFile, reason + '\n');
  writeFileSync(helperFailedFile, reason + '\n');
  console.warn(`parallax: native helper not built: ${reason}`);
  console.warn('parallax: in-process pipelines work; isolated and grouped modes will report this reason.');
  process.exit(0);
}

if (process.platform !== 'linux') skip(`isolation needs Linux (memfd, futex, SCM_RIGHTS); this is ${process.platform}`);
if (process.env.PARALLAX_SKIP_NATIVE) skip('PARALLAX_SKIP_NATIVE is set');

// node-gyp: the devDependency when present, else the one npm bundles (npm passes its path in
// npm_config_node_gyp to lifecycle scripts, which is how an installed copy of this package builds).
function nodeGyp() {
  try {
    return createRequire(join(here, '..', 'package.json')).resolve('node-gyp/bin/node-gyp.js');
  } catch {
    const fromNpm = process.env.npm_config_node_gyp;
    return fromNpm && existsSync(fromNpm) ? fromNpm : undefined;
  }
}
const gyp = nodeGyp();
if (!gyp) skip('node-gyp was not found (install it, or run this through npm: npm run build:native)');

// Use the running Node's own headers when it ships them (e.g. /usr/include/node), so the build
// works offline; otherwise node-gyp downloads them.
const args = [gyp, 'rebuild', '--directory', here];
const localNode = resolve(dirname(process.execPath), '..');
if (!process.env.npm_config_nodedir && existsSync(join(localNode, 'include', 'node', 'node_api.h'))) {
  args.push(`--nodedir=${localNode}`);
}

const run = spawnSync(process.execPath, args, { cwd: here, encoding: 'utf8' });
if (run.status !== 0) {
  const output = `${run.stdout ?? ''}${run.stderr ?? ''}`.trim().split('\n');
  const tail = output.filter((l) => !l.startsWith('gyp info')).slice(-25).join('\n');
  skip(`the build failed (run npm install again after installing a C compiler, make and python3; the native helper needs them)\n${run.error?.message ?? ''}${tail}`);
}
rmSync(failedFile, { force: true });
console.log('parallax: native helper built (native-helper/build/Release/parallax_native.node)');

// The helper program: plain C against kernel headers only (no libseccomp), one compiler call. It
// needs the addon (the supervisor talks to it through socketPair/openChannel), hence built second;
// and after node-gyp, whose `rebuild` starts by deleting build/.
const helperOut = join(here, 'build', 'parallax-helper');
const sources = readdirSync(join(here, 'helper')).filter((f) => f.endsWith('.c')).map((f) => join(here, 'helper', f));
const cc = process.env.CC || 'cc';
const helper = spawnSync(cc, ['-O2', '-Wall', '-Wextra', '-std=gnu11', '-D_GNU_SOURCE', '-o', helperOut, ...sources], { encoding: 'utf8' });
if (helper.status !== 0) {
  const tail = `${helper.error?.message ?? ''}${helper.stdout ?? ''}${helper.stderr ?? ''}`.trim().split('\n').slice(-25).join('\n');
  writeFileSync(helperFailedFile, `the helper build failed (${cc} ${sources.length} files; install a C compiler and the Linux kernel headers)\n${tail}\n`);
  console.warn('parallax: the isolation helper was not built; isolated and grouped modes will report why.');
  process.exit(0);
}
rmSync(helperFailedFile, { force: true });
console.log('parallax: isolation helper built (native-helper/build/parallax-helper)');
