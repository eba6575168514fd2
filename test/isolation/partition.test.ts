import { describe, expect, it } from 'vitest';
import { launch } from '../../src/index.js';
import { globToRegExp, planIsolation, SUPERVISOR, type IsolationOptions } from '../../src/isolation/partition.js';

const DESC = 'fakesrc name=src ! identity name=parse0 ! identity name=dec0 ! identity name=untrusted-filter ! fakesink name=out';

function plan(options: IsolationOptions) {
  const p = launch(DESC);
  const result = planIsolation(p.elements, options);
  const where = Object.fromEntries(p.elements.map((el) => [el.name, result.processOf.get(el)]));
  const cuts = result.cuts.map((c) => `${c.from.fullName}->${c.to.fullName} (${c.fromProcess}->${c.toProcess})`);
  return { result, where, cuts };
}

describe('planning which process runs each element', () => {
  it('in-process (the default): everything in the supervisor, no cut', () => {
    const { result, where, cuts } = plan({});
    expect(result.mode).toBe('in-process');
    expect(Object.values(where).every((p) => p === SUPERVISOR)).toBe(true);
    expect(cuts).toEqual([]);
  });

  it('isolated: every element in its own process, every link a cut', () => {
    const { result, where, cuts } = plan({ mode: 'isolated' });
    expect(result.processCount).toBe(5);
    expect(where).toEqual({ src: 0, parse0: 1, dec0: 2, 'untrusted-filter': 3, out: 4 });
    expect(cuts).toHaveLength(4);
  });

  it('grouped: patterns over names and factories each get a process; groups share one; the rest stay', () => {
    const { result, where, cuts } = plan({ isolate: ['*dec*', 'untrusted*'], groups: [['parse0', 'dec0']] });
    expect(result.mode).toBe('grouped');
    expect(where).toEqual({ src: SUPERVISOR, parse0: 0, dec0: 0, 'untrusted-filter': 1, out: SUPERVISOR });
    expect(cuts).toEqual([
      'src:src->parse0:sink (-1->0)',
      'dec0:src->untrusted-filter:sink (0->1)',
      'untrusted-filter:src->out:sink (1->-1)',
    ]);
    expect(result.notes).toEqual(['process 0 (parse0, dec0): isolation group 0', 'process 1 (untrusted-filter): matches isolate pattern untrusted*']);
    // A factory name matches too: every identity.
    expect(plan({ isolate: ['identity'] }).result.processCount).toBe(3);
  });

  it.each([
    [{ mode: 'sandbox' } as unknown as IsolationOptions, /unknown isolation mode "sandbox": use in-process, isolated, grouped/],
    [{ mode: 'isolated', isolate: ['x'] } as IsolationOptions, /isolate patterns and groups need mode "grouped", not "isolated"/],
    [{ isolate: ['nosuch*'] }, /isolate pattern "nosuch\*" matches no element \(elements: src, parse0, dec0, untrusted-filter, out\)/],
    [{ groups: [['dec0', 'nosuch']] }, /isolation group 0 names "nosuch", which is not an element of this pipeline/],
    [{ groups: [['dec0'], ['dec0']] }, /element "dec0" is in two isolation groups \(0 and 1\)/],
    [{ groups: [[]] }, /isolation group 0 is empty/],
    [{ isolate: [''] }, /an empty isolate pattern matches nothing/],
  ])('refuses bad options with a message that says what is wrong: %j', (options, message) => {
    expect(() => plan(options)).toThrow(message);
  });

  it('globs: * and ? only, anchored, everything else literal', () => {
    expect(globToRegExp('*dec*').test('avdec_h264')).toBe(true);
    expect(globToRegExp('dec?').test('dec0')).toBe(true);
    expect(globToRegExp('dec?').test('dec10')).toBe(false);
    expect(globToRegExp('a.b').test('axb')).toBe(false);
    expect(globToRegExp('(x)+').test('(x)+')).toBe(true);
  });
});
