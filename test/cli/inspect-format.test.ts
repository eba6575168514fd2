import { describe, expect, it } from 'vitest';
import { formatElementDetails, formatElementList } from '../../src/cli/inspect-format.js';
import { Identity } from '../../src/elements/testing/identity.js';
import type { ElementMetadata } from '../../src/element/metadata.js';
import { createDefaultRegistry } from '../../src/registry/builtins.js';

/** Column at which each listed element's description starts. */
function descriptionColumns(list: string): Map<string, number> {
  const cols = new Map<string, number>();
  for (const line of list.split('\n')) {
    const m = /^ {2}(\S+)( +)\S/.exec(line);
    if (m !== null) cols.set(m[1]!, 2 + m[1]!.length + m[2]!.length);
  }
  return cols;
}

describe('parallax-inspect output', () => {
  it('lines up every description in the element list, the longest names included', () => {
    const cols = descriptionColumns(formatElementList(createDefaultRegistry()));
    expect(cols.get('output-selector')).toBe(cols.get('queue'));
    expect(cols.get('input-selector')).toBe(cols.get('queue'));
    expect(new Set(cols.values()).size).toBe(1);
    expect(formatElementList(createDefaultRegistry())).toContain('  output-selector  1-to-N output stream selector\n');
  });

  it('widens the column for a user element with a longer name', () => {
    class LongName extends Identity {
      static override readonly metadata: ElementMetadata = { ...Identity.metadata, factory: 'my-very-long-element-name' };
    }
    const registry = createDefaultRegistry();
    registry.register(LongName);
    const cols = descriptionColumns(formatElementList(registry));
    expect(new Set(cols.values())).toEqual(new Set([2 + 'my-very-long-element-name'.length + 2]));
  });

  it('lines up property descriptions and their details, however long the name', () => {
    const long = 'a-property-name-longer-than-usual';
    class LongProp extends Identity {
      static override readonly metadata: ElementMetadata = {
        ...Identity.metadata,
        factory: 'longprop',
        properties: { ...Identity.metadata.properties, [long]: { type: 'bool', default: false, description: 'Long' } },
      };
    }
    const registry = createDefaultRegistry();
    registry.register(LongProp);
    const r = formatElementDetails(registry, 'longprop');
    const text = 'text' in r ? r.text : '';
    const indent = ' '.repeat(2 + long.length + 2);
    expect(text).toContain(`\n  ${long}: Long\n${indent}flags: readable, writable\n${indent}bool. Default: false\n`);
    expect(text).toContain(`\n  ${'silent'.padEnd(long.length)}: `);
    // Built-in elements keep the usual 22-character column.
    const q = formatElementDetails(createDefaultRegistry(), 'output-selector');
    expect('text' in q && q.text).toMatch(/\n {2}pad-negotiation-mode {2}: The mode to be used for pad negotiation\n {26}flags: readable, writable\n/);
  });
});
