import { describe, expect, it } from 'vitest';
import { ParallaxError, launch } from '../../src/index.js';
import { audioRegistry, type TestWavEnc } from '../support/audio-elements.js';

const registry = audioRegistry();

async function prepareError(desc: string): Promise<ParallaxError> {
  const p = launch(desc, { registry });
  const err = await p.prepare().then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(ParallaxError);
  expect(p.state).toBe('suspended');
  return err as ParallaxError;
}

describe('global caps negotiation', () => {
  it('names the link and the field that cannot agree', async () => {
    const err = await prepareError('audiosrc format=F64LE ! anyvolume ! pcmsink');
    expect(err.code).toBe('NOT_NEGOTIATED');
    expect(err.message.split('\n')[0]).toBe('cannot link anyvolume0:src to pcmsink0:sink: format F64LE not in {S16LE, F32LE}');
    expect(err.message).toContain('anyvolume0:src offers: audio/x-raw');
    expect(err.message).toContain('pcmsink0:sink accepts: audio/x-raw');
  });

  it('blames the capsfilter link where the conflict is', async () => {
    const err = await prepareError('audiosrc ! anyvolume ! audio/x-raw,channels=4 ! pcmsink');
    expect(err.message.split('\n')[0]).toBe('cannot link capsfilter0:src to pcmsink0:sink: channels 4 not in [1, 2]');
  });

  it('lets downstream choose the format and fixates upstream', async () => {
    const p = launch('audiosrc ! anyvolume ! audio/x-raw,rate=44100 ! pcmsink', { registry });
    await p.prepare();
    const caps = p.get('anyvolume0')!.pad('src')!.caps!;
    expect(caps.isFixed()).toBe(true);
    expect(caps.toString()).toBe('audio/x-raw, format=(string)S16LE, rate=(int)44100, channels=(int)1');
    await p.suspend();
  });

  it('sends the negotiated caps in-band before the first buffer', async () => {
    const p = launch('audiosrc format=F32LE ! anyvolume ! pcmsink name=out', { registry });
    await p.run();
    const sink = p.get('out') as TestWavEnc;
    expect(sink.rendered).toBe(4);
    expect(sink.caps?.toString()).toContain('format=(string)F32LE');
  });

  it('refuses a tee whose branches want formats with nothing in common', async () => {
    const err = await prepareError('fakesrc ! tee name=t ! audio/x-raw,rate=44100 ! fakesink t. ! audio/x-raw,rate=48000 ! fakesink');
    expect(err.message.split('\n')[0]).toBe('t cannot send one stream to both t:src_0 and t:src_1: rate 44100 != 48000');
  });

  it('uses an appsink caps property in negotiation', async () => {
    const err = await prepareError('fakesrc ! audio/x-raw ! appsink caps=video/x-raw');
    expect(err.message.split('\n')[0]).toBe('cannot link capsfilter0:src to appsink0:sink: media type audio/x-raw != video/x-raw');
  });

  it('explains a caps filter that asks for another media type', async () => {
    const err = await prepareError('audiosrc ! video/x-raw ! pcmsink');
    expect(err.message.split('\n')[0]).toBe('cannot link capsfilter0:src to pcmsink0:sink: media type video/x-raw != audio/x-raw');
  });
});
