import { describe, expect, it } from 'vitest';
import { launch, type Element } from '../../src/index.js';

function links(desc: string): string[] {
  const p = launch(desc);
  return p.elements.flatMap((el: Element) => el.srcPads.filter((s) => s.peer).map((s) => `${s.fullName}->${s.peer!.fullName}`));
}

describe('launch-string builder', () => {
  it.each([
    ['fakesrc ! fakesink', ['fakesrc0:src->fakesink0:sink']],
    ['fakesrc ! identity ! fakesink', ['fakesrc0:src->identity0:sink', 'identity0:src->fakesink0:sink']],
    ['fakesrc ! audio/x-raw ! fakesink', ['fakesrc0:src->capsfilter0:sink', 'capsfilter0:src->fakesink0:sink']],
    ['tee name=t fakesrc ! t. t. ! queue ! fakesink t. ! fakesink', [
      't:src_0->queue0:sink', 't:src_1->fakesink1:sink', 'fakesrc0:src->t:sink', 'queue0:src->fakesink0:sink']],
    ['fakesrc ! t.sink tee name=t t.src_3 ! fakesink', ['fakesrc0:src->t:sink', 't:src_3->fakesink0:sink']],
    ['funnel name=f fakesrc ! f.sink_1 fakesrc ! f. f. ! fakesink', [
      'f:src->fakesink0:sink', 'fakesrc0:src->f:sink_1', 'fakesrc1:src->f:sink_0']],
    ['fakesrc ! ( identity ! identity ) ! fakesink', [
      'identity0:src->identity1:sink', 'fakesrc0:src->identity0:sink', 'identity1:src->fakesink0:sink']],
    ['bin.( name=b fakesrc ! queue ) ! fakesink fakesrc ! fakesink', [
      'fakesrc0:src->queue0:sink', 'queue0:src->fakesink0:sink', 'fakesrc1:src->fakesink1:sink']],
    ['fakesrc name=a a. : fakesink', ['a:src->fakesink0:sink']],
    ['fakesrc .src ! fakesink', ['fakesrc0:src->fakesink0:sink']],
    ['fakesrc name=a funnel name=f ! fakesink a. : f.sink_5', ['a:src->f:sink_5', 'f:src->fakesink0:sink']],
    ['fakesrc : tee : fakesink', ['fakesrc0:src->tee0:sink', 'tee0:src_0->fakesink0:sink']],
    ['fakesrc ! .sink fakesink', ['fakesrc0:src->fakesink0:sink']],
    ['fakesrc .src ! .sink fakesink', ['fakesrc0:src->fakesink0:sink']],
    ['funnel name=f ! fakesink fakesrc ! .sink_4 f.', ['fakesrc0:src->f:sink_4', 'f:src->fakesink0:sink']],
    ['fakesrc ! tee .src_2 ! fakesink', ['fakesrc0:src->tee0:sink', 'tee0:src_2->fakesink0:sink']],
  ])('%s', (desc, expected) => {
    expect(links(desc).sort()).toEqual([...expected].sort());
  });

  it('makes file:// URIs into filesrc and filesink', () => {
    const p = launch('file:///tmp/in%20put.bin ! file:///tmp/out.bin');
    expect(p.elements.map((e) => `${e.factory}:${String(e.get('location'))}`)).toEqual(['filesrc:/tmp/in put.bin', 'filesink:/tmp/out.bin']);
  });

  it('removes backslash escapes in caps filters, as gst-launch does', async () => {
    const p = launch('fakesrc num-buffers=1 ! video/x-raw,\\ width=1 ! fakesink');
    await p.prepare();
    expect(p.get('capsfilter0')!.pad('src')!.caps!.toString()).toBe('video/x-raw, width=(int)1');
    await p.suspend();
  });

  it('reads property names with underscores as GObject does', () => {
    expect(launch('fakesrc num_buffers=3 ! fakesink').get('fakesrc0')!.get('num-buffers')).toBe(3);
  });

  it('sets typed properties from text', () => {
    const p = launch('fakesrc num-buffers = 5 sizetype=fixed is-live=true ! fakesink sync=yes');
    const src = p.get('fakesrc0')!;
    expect(src.get('num-buffers')).toBe(5);
    expect(src.get('sizetype')).toBe('fixed');
    expect(src.get('is-live')).toBe(true);
    expect(p.get('fakesink0')!.get('sync')).toBe(true);
  });

  it('runs several unconnected chains to EOS', async () => {
    const p = launch('fakesrc num-buffers=3 ! fakesink fakesrc num-buffers=7 ! fakesink');
    await p.run();
    expect(p.stats().elements['fakesrc0']!.buffersOut).toBe(3);
    expect(p.stats().elements['fakesrc1']!.buffersOut).toBe(7);
  });
});
