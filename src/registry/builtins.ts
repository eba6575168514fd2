import { FakeSrc } from '../elements/testing/fakesrc.js';
import { FakeSink } from '../elements/testing/fakesink.js';
import { Identity } from '../elements/testing/identity.js';
import { CapsFilter } from '../elements/flow/capsfilter.js';
import { Queue } from '../elements/flow/queue.js';
import { Tee } from '../elements/flow/tee.js';
import { Funnel } from '../elements/flow/funnel.js';
import { Valve } from '../elements/flow/valve.js';
import { InputSelector } from '../elements/flow/input-selector.js';
import { OutputSelector } from '../elements/flow/output-selector.js';
import { Concat } from '../elements/flow/concat.js';
import { StreamIdDemux } from '../elements/flow/streamiddemux.js';
import { Batch } from '../elements/flow/batch.js';
import { Unbatch } from '../elements/flow/unbatch.js';
import { Delay } from '../elements/timing/delay.js';
import { RateLimit } from '../elements/timing/ratelimit.js';
import { Timeout } from '../elements/timing/timeout.js';
import { ClockSync } from '../elements/timing/clocksync.js';
import { FileSrc } from '../elements/io/filesrc.js';
import { FileSink } from '../elements/io/filesink.js';
import { MultiFileSrc } from '../elements/io/multifilesrc.js';
import { MultiFileSink } from '../elements/io/multifilesink.js';
import { FdSrc } from '../elements/io/fdsrc.js';
import { FdSink } from '../elements/io/fdsink.js';
import { ConsoleSink } from '../elements/testing/consolesink.js';
import { TestSrc } from '../elements/testing/testsrc.js';
import { DataSrc } from '../elements/testing/datasrc.js';
import { RawAudioParse } from '../elements/formats/raw/rawaudioparse.js';
import { PngSink } from '../elements/formats/png/pngsink.js';
import { AppSrc } from '../elements/app/appsrc.js';
import { AppSink } from '../elements/app/appsink.js';
import { IpcSink } from '../elements/ipc/ipcsink.js';
import { WavParse } from '../elements/formats/wav/wavparse.js';
import { WavEnc } from '../elements/formats/wav/wavenc.js';
import { IpcSrc } from '../elements/ipc/ipcsrc.js';
import { Parallel } from '../elements/compute/parallel.js';
import { WasmTransform } from '../elements/wasm/wasmtransform.js';
import { WasmSrc } from '../elements/wasm/wasmsrc.js';
import { WasmSink } from '../elements/wasm/wasmsink.js';
import { AudioTestSrc } from '../elements/audio/audiotestsrc.js';
import { Volume } from '../elements/audio/volume.js';
import { AudioConvert } from '../elements/audio/audioconvert.js';
import { AudioMixer } from '../elements/audio/audiomixer.js';
import { Biquad } from '../elements/audio/biquad.js';
import { VideoTestSrc } from '../elements/video/videotestsrc.js';
import { VideoConvert } from '../elements/video/videoconvert.js';
import { VideoScale } from '../elements/video/videoscale.js';
import { VideoFlip } from '../elements/video/videoflip.js';
import { Y4mParse } from '../elements/formats/y4m/y4mparse.js';
import { Y4mEnc } from '../elements/formats/y4m/y4menc.js';
import { RawVideoParse } from '../elements/formats/raw/rawvideoparse.js';
import type { ElementClass } from '../element/element.js';
import { Registry } from './registry.js';
import { fileURLToPath } from 'node:url';
import { ParallaxError } from '../errors.js';

/** Built-in elements with the module each one lives in (relative to this file once built). */
export const BUILTIN_ELEMENTS: readonly (readonly [ElementClass, string])[] = [
  [FakeSrc, '../elements/testing/fakesrc.js'],
  [FakeSink, '../elements/testing/fakesink.js'],
  [Identity, '../elements/testing/identity.js'],
  [CapsFilter, '../elements/flow/capsfilter.js'],
  [Queue, '../elements/flow/queue.js'],
  [Tee, '../elements/flow/tee.js'],
  [Funnel, '../elements/flow/funnel.js'],
  [Valve, '../elements/flow/valve.js'],
  [InputSelector, '../elements/flow/input-selector.js'],
  [OutputSelector, '../elements/flow/output-selector.js'],
  [Concat, '../elements/flow/concat.js'],
  [StreamIdDemux, '../elements/flow/streamiddemux.js'],
  [Batch, '../elements/flow/batch.js'],
  [Unbatch, '../elements/flow/unbatch.js'],
  [Delay, '../elements/timing/delay.js'],
  [RateLimit, '../elements/timing/ratelimit.js'],
  [Timeout, '../elements/timing/timeout.js'],
  [ClockSync, '../elements/timing/clocksync.js'],
  [FileSrc, '../elements/io/filesrc.js'],
  [FileSink, '../elements/io/filesink.js'],
  [MultiFileSrc, '../elements/io/multifilesrc.js'],
  [MultiFileSink, '../elements/io/multifilesink.js'],
  [FdSrc, '../elements/io/fdsrc.js'],
  [FdSink, '../elements/io/fdsink.js'],
  [ConsoleSink, '../elements/testing/consolesink.js'],
  [TestSrc, '../elements/testing/testsrc.js'],
  [DataSrc, '../elements/testing/datasrc.js'],
  [RawAudioParse, '../elements/formats/raw/rawaudioparse.js'],
  [PngSink, '../elements/formats/png/pngsink.js'],
  [AppSrc, '../elements/app/appsrc.js'],
  [AppSink, '../elements/app/appsink.js'],
  [IpcSink, '../elements/ipc/ipcsink.js'],
  [WavParse, '../elements/formats/wav/wavparse.js'],
  [WavEnc, '../elements/formats/wav/wavenc.js'],
  [IpcSrc, '../elements/ipc/ipcsrc.js'],
  [Parallel, '../elements/compute/parallel.js'],
  [WasmTransform, '../elements/wasm/wasmtransform.js'],
  [WasmSrc, '../elements/wasm/wasmsrc.js'],
  [WasmSink, '../elements/wasm/wasmsink.js'],
  [AudioTestSrc, '../elements/audio/audiotestsrc.js'],
  [Volume, '../elements/audio/volume.js'],
  [AudioConvert, '../elements/audio/audioconvert.js'],
  [AudioMixer, '../elements/audio/audiomixer.js'],
  [Biquad, '../elements/audio/biquad.js'],
  [VideoTestSrc, '../elements/video/videotestsrc.js'],
  [VideoConvert, '../elements/video/videoconvert.js'],
  [VideoScale, '../elements/video/videoscale.js'],
  [VideoFlip, '../elements/video/videoflip.js'],
  [Y4mParse, '../elements/formats/y4m/y4mparse.js'],
  [Y4mEnc, '../elements/formats/y4m/y4menc.js'],
  [RawVideoParse, '../elements/formats/raw/rawvideoparse.js'],
];

/** A registry holding every built-in element and the file:// URI handler. */
export function createDefaultRegistry(): Registry {
  const r = new Registry();
  for (const [cls, path] of BUILTIN_ELEMENTS) r.register(cls, new URL(path, import.meta.url).href);
  r.registerUriHandler({
    scheme: 'file',
    source: 'filesrc',
    sink: 'filesink',
    toProperties: (uri) => {
      // fileURLToPath refuses a host other than localhost, so file://host/x cannot open /x.
      try {
        return { location: fileURLToPath(uri) };
      } catch (e) {
        throw new ParallaxError('LAUNCH_SYNTAX', `cannot use ${uri.href} as a file: ${e instanceof Error ? e.message : String(e)} (write file:///absolute/path)`);
      }
    },
  });
  return r;
}

let shared: Registry | null = null;

/** The process-wide default registry (built on first use). */
export function defaultRegistry(): Registry {
  return (shared ??= createDefaultRegistry());
}
