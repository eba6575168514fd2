// Node streams on both ends of a pipeline: a WAV file Readable in, gzip and a file Writable out.
//
//   fs.createReadStream(in.wav) -> [appsrc ! wavparse ! volume volume=0.5 ! appsink] -> gzip -> out.pcm.gz
//
// Backpressure crosses both boundaries: the file is read only as fast as the pipeline takes it
// (appsrc's max-bytes), and the pipeline runs only as fast as gzip and the disk drain it (appsink's
// max-buffers). Each byte is copied once into the pipeline and once out of it (and the samples
// that shared the first chunk with the header once more, by wavparse).
import { createReadStream, createWriteStream, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { gunzipSync, createGzip } from 'node:zlib';
import { Pipeline, defaultRegistry } from '../../dist/index.js';

// A one-second 440 Hz sine, 8 kHz mono S16LE, written as a plain 44-byte-header WAV file.
const rate = 8000;
const samples = Int16Array.from({ length: rate }, (_, i) => Math.round(12000 * Math.sin((2 * Math.PI * 440 * i) / rate)));
const dir = mkdtempSync(join(tmpdir(), 'parallax-streams-'));
const input = join(dir, 'in.wav');
const output = join(dir, 'out.pcm.gz');
writeFileSync(input, wav(samples, rate));

const reg = defaultRegistry();
const volume = reg.make('volume');
volume.set('volume', 0.5);
const p = Pipeline.fromReadable(createReadStream(input, { highWaterMark: 4096 }), {
  caps: 'audio/x-wav',
  then: [reg.make('wavparse'), volume, reg.make('appsink', 'out')],
});
const done = p.run();
await pipeline(p.toReadable('out'), createGzip(), createWriteStream(output));
await done;

const halved = new Int16Array(new Uint8Array(gunzipSync(readFileSync(output))).buffer);
const close = halved.length === samples.length && halved.every((s, i) => Math.abs(s - samples[i] / 2) <= 1);
console.log(`${halved.length} samples halved from a file Readable into gzip, within 1 LSB: ${close}`);
const copied = p.stats().bytesCopied;
// In: every byte of the file once. Out: every sample once. And wavparse copies the samples of the
// first 4 KiB chunk once more, since a payload must start at the start of its slot and the header
// came first.
const expected = samples.byteLength + 44 + (4096 - 44) + halved.byteLength;
console.log(`bytes copied: ${copied}, one copy in, one out and the first chunk's samples: ${copied === expected}`);

function wav(pcm, sampleRate) {
  const header = new DataView(new ArrayBuffer(44));
  const text = (at, s) => [...s].forEach((c, i) => header.setUint8(at + i, c.charCodeAt(0)));
  text(0, 'RIFF');
  header.setUint32(4, 36 + pcm.byteLength, true);
  text(8, 'WAVE');
  text(12, 'fmt ');
  header.setUint32(16, 16, true);
  header.setUint16(20, 1, true); // PCM
  header.setUint16(22, 1, true); // mono
  header.setUint32(24, sampleRate, true);
  header.setUint32(28, sampleRate * 2, true);
  header.setUint16(32, 2, true);
  header.setUint16(34, 16, true);
  text(36, 'data');
  header.setUint32(40, pcm.byteLength, true);
  return Buffer.concat([new Uint8Array(header.buffer), new Uint8Array(pcm.buffer)]);
}
