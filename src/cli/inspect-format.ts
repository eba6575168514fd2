import { describePropertyType, formatPropertyValue, type PropertySpec } from '../element/property.js';
import { padTemplatesOf } from '../element/element.js';
import type { Registry } from '../registry/registry.js';
import { didYouMean } from '../registry/suggest.js';

/** The element list, grouped by classification, as `parallax-inspect` prints it. */
export function formatElementList(registry: Registry): string {
  const groups = new Map<string, string[]>();
  // One column for every group, as wide as the longest name (a user's element may be longer).
  const width = Math.max(0, ...registry.list().map((e) => e.factory.length));
  for (const e of registry.list()) {
    const cls = e.elementClass.metadata.classification;
    const list = groups.get(cls) ?? [];
    list.push(`  ${e.factory.padEnd(width)}  ${e.elementClass.metadata.description}`);
    groups.set(cls, list);
  }
  const out: string[] = [];
  for (const cls of [...groups.keys()].sort()) out.push(`${cls}:`, ...groups.get(cls)!, '');
  out.push(`Total: ${registry.list().length} elements`);
  return out.join('\n') + '\n';
}

/**
 * Everything about one element, or undefined (with a hint) when it does not exist. `props`
 * (`module=x.wasm`) are set on an instance first, so that properties an element gets from one
 * of them — a WebAssembly module's — are listed too.
 */
export function formatElementDetails(registry: Registry, factory: string, props: readonly (readonly [string, string])[] = []): { text: string } | { error: string } {
  const entry = registry.get(factory);
  if (entry === undefined) return { error: `No such element "${factory}"${didYouMean(factory, registry.factories())}` };
  const m = entry.elementClass.metadata;
  let specs: (name: string) => PropertySpec = (name) => m.properties[name]!;
  let names = Object.keys(m.properties);
  if (props.length > 0) {
    const el = new entry.elementClass(factory);
    try {
      for (const [k, v] of props) el.set(k, v);
    } catch (e) {
      return { error: e instanceof Error ? e.message : String(e) };
    }
    specs = (name) => el.propertySpec(name)!;
    names = el.propertyNames();
  }
  const out = [
    'Factory Details:',
    `  Name:            ${m.factory}`,
    `  Classification:  ${m.classification}`,
    `  Description:     ${m.description}`,
    `  Example:         ${m.example}`,
    `  Affinity:        ${m.affinity}${m.rtSafe ? ' (real-time safe)' : ''}`,
    `  Module:          ${entry.module}`,
    '',
    'Pad Templates:',
  ];
  for (const t of padTemplatesOf(m)) {
    out.push(`  ${t.direction.toUpperCase()} template: '${t.name}'`, `    Availability: ${t.presence}`, `    Capabilities:`);
    const caps = t.caps.toString().split('; ');
    for (const c of caps) out.push(`      ${c}`);
    out.push('');
  }
  out.push('Element Properties:');
  names.sort();
  if (names.length === 0) out.push('  none');
  const nameWidth = Math.max(22, ...names.map((n) => n.length));
  const indent = ' '.repeat(nameWidth + 4);
  for (const name of names) {
    const p = specs(name);
    const flags = p.readonly ? 'readable' : `readable, writable${p.mutable ? ', changeable while running' : ''}`;
    out.push(`  ${name.padEnd(nameWidth)}: ${p.description}`, `${indent}flags: ${flags}`,
      `${indent}${describePropertyType(p)}. Default: ${formatPropertyValue(p.default)}`);
  }
  return { text: out.join('\n') + '\n' };
}
