// Small audio-shaped elements for negotiation tests: their caps mirror GStreamer's audiotestsrc,
// volume and a PCM sink, so the error messages read like the real thing.
import { Buffer, FlowResult, Sink, Source, Transform, createDefaultRegistry, parseCaps, type Caps, type ElementMetadata, type Pad, type Registry } from '../../src/index.js';

const RAW = 'audio/x-raw, format=(string){ S16LE, F32LE, F64LE }, rate=(int)[ 1, 2147483647 ], channels=(int)[ 1, 8 ]';

export class TestAudioSrc extends Source {
  static readonly metadata: ElementMetadata = {
    factory: 'audiosrc', classification: 'Source/Audio', description: 'test audio source', example: 'audiosrc ! fakesink',
    padTemplates: [{ name: 'src', direction: 'src', presence: 'always', caps: RAW }],
    properties: {
      format: { type: 'string', default: null, description: 'forced format' },
      'num-buffers': { type: 'int', default: 4, min: -1, description: 'buffers to send' },
    },
    affinity: 'auto', rtSafe: true,
  };
  private sent = 0;
  override sourceCaps(pad: Pad): Caps {
    const f = this.get('format');
    return typeof f === 'string' ? pad.template.caps.intersect(parseCaps(`audio/x-raw, format=${f}`)) : pad.template.caps;
  }
  override start(): void {
    super.start();
    this.sent = 0;
  }
  protected create(): Buffer | FlowResult {
    if (this.sent >= this.num('num-buffers')) return FlowResult.EOS;
    const b = Buffer.allocate(this.context.allocator, 16);
    b.pts = this.sent * 1000;
    this.sent++;
    return b;
  }
}

export class TestVolume extends Transform {
  static readonly metadata: ElementMetadata = {
    factory: 'anyvolume', classification: 'Filter/Effect/Audio', description: 'test volume (any raw audio format; the real volume takes S16LE and F32LE)', example: 'audiosrc ! anyvolume ! fakesink',
    padTemplates: [
      { name: 'sink', direction: 'sink', presence: 'always', caps: RAW },
      { name: 'src', direction: 'src', presence: 'always', caps: RAW },
    ],
    properties: {}, affinity: 'auto', rtSafe: true,
  };
  protected override transformInPlace(): FlowResult {
    return FlowResult.OK;
  }
}

export class TestWavEnc extends Sink {
  static readonly metadata: ElementMetadata = {
    factory: 'pcmsink', classification: 'Codec/Muxer/Audio', description: 'test PCM sink (S16LE or F32LE, mono or stereo)', example: 'audiosrc ! pcmsink',
    padTemplates: [{ name: 'sink', direction: 'sink', presence: 'always', caps: 'audio/x-raw, format=(string){ S16LE, F32LE }, rate=(int)[ 1, 2147483647 ], channels=(int)[ 1, 2 ]' }],
    properties: {}, affinity: 'async', rtSafe: false,
  };
  rendered = 0;
  caps: Caps | null = null;
  override setCaps(_pad: Pad, caps: Caps): boolean {
    this.caps = caps;
    return true;
  }
  protected render(): FlowResult {
    this.rendered++;
    return FlowResult.OK;
  }
}

/** The default registry plus the three test elements. */
export function audioRegistry(): Registry {
  const r = createDefaultRegistry();
  r.register(TestAudioSrc);
  r.register(TestVolume);
  r.register(TestWavEnc);
  return r;
}
