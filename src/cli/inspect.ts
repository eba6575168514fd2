#!/usr/bin/env node
import process from 'node:process';
import { defaultRegistry } from '../registry/builtins.js';
import { formatElementDetails, formatElementList } from './inspect-format.js';

const args = process.argv.slice(2);
const registry = defaultRegistry();
const plugins = args.flatMap((a, i) => (args[i - 1] === '--plugin' ? [a] : []));
const words = args.filter((a, i) => a !== '--plugin' && args[i - 1] !== '--plugin');
for (const p of plugins) await registry.loadPlugin(p);
// `wasmtransform module=x.wasm`: property=value words after a name belong to it.
const names: { name: string; props: [string, string][] }[] = [];
for (const w of words) {
  const eq = w.indexOf('=');
  if (eq > 0 && names.length > 0) names[names.length - 1]!.props.push([w.slice(0, eq), w.slice(eq + 1)]);
  else names.push({ name: w, props: [] });
}
if (names.length === 0) {
  process.stdout.write(formatElementList(registry));
} else {
  let code = 0;
  for (const { name, props } of names) {
    const r = formatElementDetails(registry, name, props);
    if ('text' in r) process.stdout.write(r.text);
    else {
      process.stderr.write(r.error + '\n');
      code = 1;
    }
  }
  process.exitCode = code;
}
