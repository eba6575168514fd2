#!/usr/bin/env node
import process from 'node:process';
import { defaultRegistry } from '../registry/builtins.js';
import { formatElementDetails, formatElementList } from './inspect-format.js';

const args = process.argv.slice(2);
const registry = defaultRegistry();
const plugins = args.flatMap((a, i) => (args[i - 1] === '--plugin' ? [a] : []));
const names = args.filter((a, i) => a !== '--plugin' && args[i - 1] !== '--plugin');
for (const p of plugins) await registry.loadPlugin(p);
if (names.length === 0) {
  process.stdout.write(formatElementList(registry));
} else {
  let code = 0;
  for (const name of names) {
    const r = formatElementDetails(registry, name);
    if ('text' in r) process.stdout.write(r.text);
    else {
      process.stderr.write(r.error + '\n');
      code = 1;
    }
  }
  process.exitCode = code;
}
