import type { Element } from '../element/element.js';
import { formatPropertyValue } from '../element/property.js';

function q(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/**
 * A Graphviz graph of the elements, their pads, the links and the negotiated caps on each link.
 * Render with `dot -Tpng graph.dot -o graph.png`.
 */
export function toDot(name: string, elements: readonly Element[]): string {
  const out = [`digraph ${q(name)} {`, '  rankdir=LR;', '  node [shape=box, fontname="monospace", fontsize=10];', '  edge [fontname="monospace", fontsize=9];'];
  for (const el of elements) {
    const props = [...el.changedProperties].map(([k, v]) => `${k}=${formatPropertyValue(v)}`);
    const label = [`${el.name}`, `(${el.factory})`, ...props].join('\\n');
    out.push(`  subgraph ${q('cluster_' + el.name)} {`, `    label=${q(label)};`, '    style=rounded;');
    for (const p of el.pads) out.push(`    ${q(p.fullName)} [label=${q(p.name)}, shape=${p.direction === 'src' ? 'cds' : 'rarrow'}];`);
    if (el.pads.length === 0) out.push(`    ${q(el.name + ':none')} [label="", style=invis];`);
    out.push('  }');
  }
  for (const el of elements) {
    for (const p of el.srcPads) {
      if (p.peer === null) continue;
      const caps = p.caps === null ? '' : p.caps.toString().replace(/, /g, ',\\n');
      out.push(`  ${q(p.fullName)} -> ${q(p.peer.fullName)} [label=${q(caps)}];`);
    }
  }
  out.push('}');
  return out.join('\n') + '\n';
}
