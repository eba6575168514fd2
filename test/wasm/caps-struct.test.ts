import { describe, expect, it } from 'vitest';
import { parseCaps } from '../../src/element/caps/index.js';
import { VideoFormat, videoFrameSize } from '../../src/elements/video/layout.js';
import { capsWords } from '../../src/wasm/caps-struct.js';
import { CapsWord } from '../../src/wasm/user-abi.js';

const frame = (caps: string): number => capsWords(parseCaps(caps))[CapsWord.FRAME_SIZE]!;

describe('the caps struct a kernel reads', () => {
  it.each([
    ['I420', VideoFormat.I420, 3, 3], ['I420', VideoFormat.I420, 320, 241], ['I420', VideoFormat.I420, 1920, 1080],
    ['NV12', VideoFormat.NV12, 7, 5], ['RGB', VideoFormat.RGB, 33, 17], ['RGBA', VideoFormat.RGBA, 5, 3],
  ] as const)('%s %ix%i: the frame size is GStreamer\'s (odd heights pad the luma plane to even rows)', (name, format, w, h) => {
    expect(frame(`video/x-raw,format=${name},width=${w},height=${h}`)).toBe(videoFrameSize(format, w, h));
  });

  it('audio: media 1, the format code, rate and channels', () => {
    const words = capsWords(parseCaps('audio/x-raw,format=F32LE,rate=48000,channels=2'));
    expect([words[CapsWord.MEDIA], words[CapsWord.RATE], words[CapsWord.CHANNELS]]).toEqual([1, 48000, 2]);
  });
});
