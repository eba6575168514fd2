import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { formatElementDetails } from '../../src/cli/inspect-format.js';
import { Buffer } from '../../src/element/buffer.js';
import type { Element } from '../../src/element/element.js';
import type { BusMessage } from '../../src/element/message.js';
import { FlowResult } from '../../src/element/flow.js';
import { WasmTransform } from '../../src/elements/wasm/wasmtransform.js';
import type { Pipeline, PipelineOptions } from '../../src/exec/pipeline.js';
import { Harness } from '../../src/harness/harness.js';
import { launch } from '../../src/index.js';
import { Arena, USER_DATA_START } from '../../src/memory/arena.js';
import { createDefaultRegistry } from '../../src/registry/builtins.js';
import { buildKernel, defaultMemoryBase, KernelBuildError } from '../../src/wasm/build-kernel.js';
import { parseDescriptor } from '../../src/wasm/user-descriptor.js';
import { loadUserModule } from '../../src/wasm/user-module.js';
import { Peer, stopPeers } from '../support/worker-peer.js';

// User WebAssembly kernels end to end (doc/design/006): the SDK and build command, the loader's
// checks, the sharing decision with its claims in the arena, the three elements in async and
// hybrid pipelines, the private-memory fallback, every error path, and two instances of one
// module on two threads over one memory. Fixtures are AssemblyScript in test/fixtures/wasm/,
// built here into a temp dir by the build command's own function. Threads load dist/.

const FIXTURES = fileURLToPath(new URL('../fixtures/wasm/', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'parallax-user-kernels-'));
const wasm: Record<string, string> = {};

async function build(name: string, source = name, options: Parameters<typeof buildKernel>[1] = {}): Promise<string> {
  const built = await buildKernel(join(FIXTURES, `${source}.ts`), { outFile: join(dir, `${name}.wasm`), ...options });
  return (wasm[name] = built.outFile);
}

beforeAll(async () => {
  for (const name of ['invert', 'gain', 'checksum', 'ramp', 'limit', 'faulty', 'missing-exports', 'abi-v2', 'forbidden-import', 'static-counter']) await build(name);
  await build('invert-own', 'invert', { memory: 'own' });
  await build('invert-low', 'invert', { memoryBase: 2 * 65536 });
  // checksum with its data in invert's window: the second one loaded on an arena must go private.
  await build('checksum-clash', 'checksum', { memoryBase: defaultMemoryBase('invert.ts') });
}, 180_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(stopPeers);

/** fakesrc's pattern: byte i of every buffer is i & 255. */
const pattern = (n: number): number[] => Array.from({ length: n }, (_, i) => i & 255);

/** Every buffer appsink `name` hands out, as bytes, until the stream ends. */
async function drain(p: Pipeline, name: string): Promise<number[][]> {
  const out: number[][] = [];
  for await (const buf of p.get(name) as AsyncIterable<Buffer> & Element) {
    out.push([...buf.data]);
    buf.release();
  }
  return out;
}

/** Runs `line` (ending in `appsink name=out`) and returns each output buffer's bytes, with the bus messages. */
async function collect(line: string, options: PipelineOptions = {}): Promise<{ p: Pipeline; out: number[][]; messages: BusMessage[] }> {
  const p = launch(line, options);
  const messages: BusMessage[] = [];
  p.bus.on('message', (m) => messages.push(m));
  const running = p.run();
  const out = await drain(p, 'out');
  await running;
  return { p, out, messages };
}

const modes = (messages: readonly BusMessage[]): Record<string, unknown> =>
  Object.fromEntries(messages.flatMap((m) => (m.type === 'property-notify' && m.property === 'mode' ? [[m.source, m.value]] : [])));
const warnings = (messages: readonly BusMessage[]): string[] => messages.flatMap((m) => (m.type === 'warning' ? [`${m.source}: ${m.message}`] : []));

/** The checksum kernel in JS: each byte is the top byte of a running FNV-1a from `seed`. */
function checksumReference(seed: number): (bytes: ArrayLike<number>) => number[] {
  let h = seed >>> 0;
  return (bytes) => Array.from(bytes, (b) => {
    h = Math.imul(h ^ b, 16777619) >>> 0;
    return h >>> 24;
  });
}

describe('parallax-wasm build', () => {
  it('puts a module\'s constant data in the window its name hashes to, and the loader accepts it', async () => {
    const built = await buildKernel(join(FIXTURES, 'invert.ts'), { outFile: join(dir, 'invert-again.wasm') });
    expect(built.memoryBase).toBe(defaultMemoryBase('invert.ts'));
    expect(built.memoryBase).toBe(USER_DATA_START + built.window * 65536);
    expect(built.window).toBeGreaterThanOrEqual(0);
    expect(built.window).toBeLessThan(48);
    expect(built.dataBytes).toBeGreaterThan(0);
    expect(built.dataBytes).toBeLessThan(65536);
    expect(built.problems).toEqual([]);
    expect(built.module?.descriptor).toMatchObject({ name: 'invert', kind: 'transform', inPlace: true });
    expect(await buildKernel(join(FIXTURES, 'invert.ts'), { outFile: join(dir, 'invert-at.wasm'), memoryBase: 0x200000 })).toMatchObject({ memoryBase: 0x200000, window: 16 });
  });

  it('reports asc\'s diagnostics for a file that does not compile, and a missing file', async () => {
    const broken = buildKernel(join(FIXTURES, 'broken.ts'), { outFile: join(dir, 'broken.wasm') });
    await expect(broken).rejects.toThrow(KernelBuildError);
    await expect(broken).rejects.toThrow(/broken\.ts did not compile\n[\s\S]*Cannot find name 'undefinedThing'/);
    await expect(buildKernel(join(dir, 'nothing-here.ts'))).rejects.toThrow(/^no such file: .*nothing-here\.ts$/);
  });

  it('refuses a module whose constant data does not fit its 64 KiB window', async () => {
    const src = join(dir, 'big.ts');
    // 40 000 UTF-16 characters: 80 000 bytes of data.
    writeFileSync(src, `import { ABI_VERSION } from "parallax";\nconst BIG = "${'x'.repeat(40_000)}";\nexport function pxl_abi_version(): i32 { return ABI_VERSION + BIG.length; }\n`);
    await expect(buildKernel(src)).rejects.toThrow(/big\.ts: its constant data \(\d+ bytes from \d+\) does not fit its 64 KiB window/);
  });

  it('says what the engine will refuse or run privately', async () => {
    const counter = await buildKernel(join(FIXTURES, 'static-counter.ts'), { outFile: join(dir, 'sc.wasm') });
    expect(counter.problems).toEqual([expect.stringMatching(/^it keeps 1 mutable global\(s\): a top-level let/)]);
    const v2 = await buildKernel(join(FIXTURES, 'abi-v2.ts'), { outFile: join(dir, 'v2.wasm') });
    expect(v2.module).toBeNull();
    expect(v2.problems).toEqual([expect.stringContaining('speaks kernel ABI version 2, and this engine speaks version 1')]);
  });

  it('is a command: parallax-wasm build prints the path, size and window', () => {
    const out = join(dir, 'cli-invert.wasm');
    const r = spawnSync(process.execPath, ['dist/cli/wasm-build.js', 'build', join(FIXTURES, 'invert.ts'), '-o', out], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^${out}: \\d+ bytes, a transform "invert" with 1 property; constant data \\d+ bytes at 0x[0-9a-f]+ \\(window \\d+ of 48`));
    const bad = spawnSync(process.execPath, ['dist/cli/wasm-build.js', 'build'], { encoding: 'utf8' });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/^parallax-wasm: no source file given\nusage: parallax-wasm build/);
  });
});

describe('the loader', () => {
  it('refuses a file that is not WebAssembly, naming it and the compile error', () => {
    const path = join(dir, 'text.wasm');
    writeFileSync(path, 'not wasm at all');
    expect(() => loadUserModule(path)).toThrow(new RegExp(`^kernel module ${path}: not a valid WebAssembly module: .*magic`));
    expect(() => loadUserModule(join(dir, 'absent.wasm'))).toThrow(/absent\.wasm: no such file/);
  });

  it('lists every missing export, refuses another ABI version with both numbers, and refuses imports by name', () => {
    expect(() => loadUserModule(wasm['missing-exports']!)).toThrow(/missing exports for a transform: pxl_state_size, pxl_set_property, pxl_set_caps, pxl_process$/);
    expect(() => loadUserModule(wasm['abi-v2']!)).toThrow(/speaks kernel ABI version 2, and this engine speaks version 1/);
    expect(() => loadUserModule(wasm['forbidden-import']!)).toThrow(/imports forbidden-import\.now, which kernels may not use \(allowed: env\.memory, env\.abort, env\.seed, env\.trace\)/);
  });

  it('compiles a module once per path, again when the file changes', () => {
    const a = loadUserModule(wasm['invert']!);
    expect(loadUserModule(wasm['invert']!)).toBe(a);
    expect(a.descriptor.properties).toEqual([{ name: 'mask', type: 'int', default: 255, min: 0, max: 255, description: 'Bits to flip in every byte' }]);
    const later = new Date(Date.now() + 5000);
    utimesSync(wasm['invert']!, later, later);
    expect(loadUserModule(wasm['invert']!)).not.toBe(a);
  });

  it.each([
    ['[]', /^expected a JSON object$/],
    ['{"kind":"transform"}', /^name: expected a non-empty string$/],
    ['{"name":"x","kind":"filter"}', /^kind: expected one of transform, source, sink, got "filter"$/],
    ['{"name":"x","kind":"transform","colour":1}', /^colour: unknown field/],
    ['{"name":"x","kind":"transform","caps":{"sink":"audio/x-raw,rate=("}}', /^caps\.sink: bad caps/],
    ['{"name":"x","kind":"source","caps":{"sink":"ANY"}}', /^caps\.sink: unknown field \(known: src\)$/],
    ['{"name":"x","kind":"transform","properties":[{"name":"g","type":"float"}]}', /^properties\[0\]\.type: expected one of int, double, bool, enum, got "float"$/],
    ['{"name":"x","kind":"transform","properties":[{"name":"g","type":"double","min":2,"max":1}]}', /^properties\[0\]\.min: min 2 is above max 1$/],
    ['{"name":"x","kind":"transform","properties":[{"name":"g","type":"int","default":1.5}]}', /^properties\[0\]\.default: an int property needs a 32-bit integer, got 1\.5$/],
    ['{"name":"x","kind":"transform","properties":[{"name":"m","type":"enum","default":2,"values":["a","b"]}]}', /^properties\[0\]\.default: expected an index 0\.\.1 into values, got 2$/],
    ['{"name":"x","kind":"transform","properties":[{"name":"a","type":"bool"},{"name":"a","type":"bool"}]}', /^properties\[1\]\.name: "a" is declared twice$/],
    ['{"name": "x", oops}', /^not JSON/],
  ])('checks the descriptor field by field: %s', (json, message) => {
    expect(() => parseDescriptor(json)).toThrow(message);
  });
});

describe('the arena\'s claims table', () => {
  it('claims free ranges, takes the same data again, and refuses an overlap naming the other range', () => {
    const arena = Arena.create(16 * 1024 * 1024);
    expect(arena.claimKernelData(0x100000, 0x100200, 1, 2)).toEqual({ result: 'claimed' });
    expect(arena.claimKernelData(0x110000, 0x110010, 3, 4)).toEqual({ result: 'claimed' });
    expect(arena.claimKernelData(0x100000, 0x100200, 1, 2)).toEqual({ result: 'same' });
    expect(arena.claimKernelData(0x100000, 0x100200, 1, 9)).toEqual({ result: 'overlap', other: { start: 0x100000, end: 0x100200 } });
    expect(arena.claimKernelData(0x1001f0, 0x100300, 1, 2)).toEqual({ result: 'overlap', other: { start: 0x100000, end: 0x100200 } });
    expect(arena.claimKernelData(0x100200, 0x100300, 5, 6)).toEqual({ result: 'claimed' });
    expect(arena.kernelDataClaims).toBe(3);
    // Another handle on the same memory (another thread's view) sees the same claims.
    const again = Arena.attach(arena.transferable);
    expect(again.claimKernelData(0x110000, 0x110010, 3, 4)).toEqual({ result: 'same' });
    expect(again.kernelDataClaims).toBe(3);
    expect(() => Arena.create(16 * 1024 * 1024, 'sab').claimKernelData(0x100000, 0x100010, 0, 0)).toThrow(/keeps no kernel area/);
  });
});

describe('wasmtransform', () => {
  it.each(['async', 'hybrid'] as const)('runs a kernel in place on the shared memory (%s): byte-exact, nothing copied', async (scheduling) => {
    const { p, out, messages } = await collect(`fakesrc num-buffers=4 sizetype=fixed sizemax=1000 filltype=pattern ! wasmtransform module=${wasm['invert']} mask=15 ! queue ! appsink name=out`, { scheduling });
    expect(out).toEqual(Array.from({ length: 4 }, () => pattern(1000).map((b) => b ^ 15)));
    expect(p.stats().bytesCopied).toBe(0);
    expect(modes(messages)).toEqual({ wasmtransform0: 'shared' });
    expect(warnings(messages)).toEqual([]);
    if (scheduling === 'hybrid') expect(p.plan?.placement.get(p.get('wasmtransform0')!)).toBe(0);
    else expect(p.get('wasmtransform0')!.get('mode')).toBe('shared');
  });

  it('runs an out-of-place kernel with caps: the module\'s caps become the pads\', the kernel reads the caps struct', async () => {
    const caps = 'audio/x-raw,format=F32LE,layout=interleaved,rate=48000,channels=2';
    const { p, out } = await collect(`fakesrc num-buffers=2 sizetype=fixed sizemax=64 filltype=pattern ! ${caps} ! wasmtransform module=${wasm['gain']} gain=0.5 ! appsink name=out`);
    const input = new Float32Array(new Uint8Array(pattern(64)).buffer);
    const expected = [...new Uint8Array(new Float32Array(input.map((x) => Math.fround(x * 0.5))).buffer)];
    expect(out).toEqual([expected, expected]);
    expect(p.stats().bytesCopied).toBe(0);
    expect(p.get('wasmtransform0')!.pad('src')!.caps?.toString()).toBe('audio/x-raw, format=(string)F32LE, layout=(string)interleaved, rate=(int)48000, channels=(int)2');
    // Caps the module does not declare fail at negotiation, naming the link.
    await expect(launch(`fakesrc ! audio/x-raw,format=S16LE ! wasmtransform module=${wasm['gain']} ! fakesink`).prepare()).rejects.toThrow(/^cannot link capsfilter0:src to wasmtransform0:sink: format S16LE != F32LE\n/);
  });

  it('writes out of place when the buffer is shared (a tee branch), leaving the other branch\'s bytes alone', async () => {
    const p = launch(`fakesrc num-buffers=2 sizetype=fixed sizemax=300 filltype=pattern ! tee name=t t. ! queue ! wasmtransform module=${wasm['invert']} ! appsink name=out t. ! queue ! appsink name=raw`);
    const running = p.run();
    const [out, raw] = await Promise.all(['out', 'raw'].map((n) => drain(p, n)));
    await running;
    expect(out).toEqual([pattern(300).map((b) => b ^ 255), pattern(300).map((b) => b ^ 255)]);
    expect(raw).toEqual([pattern(300), pattern(300)]);
    expect(p.stats().bytesCopied).toBe(0);
  });

  it('writes a shared input out of place into a new buffer, leaving the input as it was', async () => {
    const el = new WasmTransform('w');
    el.set('module', wasm['invert']!);
    const h = await new Harness(el).start();
    const input = Buffer.fromBytes(h.allocator, new Uint8Array([1, 2, 3]));
    const kept = input.clone();
    expect(h.push(input)).toBe(FlowResult.OK);
    const out = h.pull()!;
    expect([...out.data]).toEqual([254, 253, 252]);
    expect([...kept.data]).toEqual([1, 2, 3]);
    expect(out.slot === kept.slot && out.pool === kept.pool).toBe(false);
    out.release();
    kept.release();
    await h.stop();
  });

  it('takes the module\'s properties in any order, range-checks them, and names what the module declares', () => {
    const el = launch(`fakesrc ! wasmtransform mask=3 module=${wasm['invert']} ! fakesink`).get('wasmtransform0')!;
    expect(el.get('mask')).toBe(3);
    expect(el.propertyNames()).toEqual(['module', 'mode', 'mask']);
    expect(() => launch(`fakesrc ! wasmtransform module=${wasm['invert']} mask=300 ! fakesink`)).toThrow(/bad value "300" for property mask of wasmtransform0: must be in \[0, 255\]/);
    expect(() => launch(`fakesrc ! wasmtransform module=${wasm['invert']} gain=2 ! fakesink`)).toThrow(/wasmtransform0: unknown property gain: module invert\.wasm declares mask/);
    const bare = new WasmTransform('w');
    expect(() => bare.set('mask', 1)).toThrow(/w \(wasmtransform\) has no property "mask" \(a module's properties exist once module= is set\)/);
    expect(() => launch(`wasmsrc module=${wasm['invert']} ! fakesink`)).toThrow(/wasmsrc0: module invert\.wasm is a transform kernel; run it with wasmtransform, not wasmsrc/);
    expect(() => launch(`fakesrc ! wasmtransform module=${join(dir, 'nope.wasm')} ! fakesink`)).toThrow(/kernel module .*nope\.wasm: no such file/);
    expect(() => launch(`fakesrc ! wasmtransform module=${wasm['abi-v2']} ! fakesink`)).toThrow(/speaks kernel ABI version 2/);
  });

  it('sends a property changed while running to the kernel (pxl_set_property)', async () => {
    const el = new WasmTransform('w');
    el.set('module', wasm['invert']!);
    const h = await new Harness(el).start();
    expect(h.push(new Uint8Array([1, 2]))).toBe(FlowResult.OK);
    el.set('mask', 1);
    expect(h.push(new Uint8Array([1, 2]))).toBe(FlowResult.OK);
    expect([...h.pull()!.data, ...h.pull()!.data]).toEqual([254, 253, 0, 3]);
    expect(el.get('mode')).toBe('shared');
    await h.stop();
  });

  it('lists the module\'s properties in parallax-inspect when given module=', () => {
    const r = formatElementDetails(createDefaultRegistry(), 'wasmtransform', [['module', wasm['invert']!]]);
    expect('text' in r && r.text).toMatch(/ {2}mask {18}: Bits to flip in every byte\n {26}flags: readable, writable, changeable while running\n {26}int \[0, 255\]\. Default: 255/);
  });
});

describe('the private-memory fallback', () => {
  const bytes = 4 * 1000;
  it.each([
    ['invert-own', 'async', /^private: it defines its own memory instead of importing env\.memory$/],
    ['invert-low', 'async', /^private: its constant data at 0x2000c\.\.0x[0-9a-f]+ lies outside the user windows 0x100000\.\.0x400000/],
    ['invert-low', 'hybrid', /^private: its constant data at 0x2000c\.\.0x[0-9a-f]+ lies outside the user windows/],
    ['static-counter', 'async', /^private: it keeps 1 mutable global\(s\)/],
  ] as const)('%s (%s): the same bytes, every copy counted, and a warning that says why', async (name, scheduling, why) => {
    const mask = name === 'static-counter' ? '' : 'mask=15';
    const { p, out, messages } = await collect(`fakesrc num-buffers=4 sizetype=fixed sizemax=1000 filltype=pattern ! wasmtransform module=${wasm[name]} ${mask} ! queue ! appsink name=out`, { scheduling });
    const expected = pattern(1000).map((b) => (name === 'static-counter' ? b : b ^ 15));
    expect(out).toEqual([expected, expected, expected, expected]);
    // Each buffer copied in and copied out.
    expect(p.stats().bytesCopied).toBe(2 * bytes);
    expect(modes(messages)['wasmtransform0']).toMatch(why);
    expect(warnings(messages)).toEqual([expect.stringMatching(new RegExp(`^wasmtransform0: runs ${name}\\.wasm in a memory of its own, copying every buffer in and out: `))]);
  });

  it('a module whose data overlaps another\'s on the same arena runs privately; the first keeps the window', async () => {
    const { p, out, messages } = await collect(`fakesrc num-buffers=2 sizetype=fixed sizemax=256 filltype=pattern ! wasmtransform module=${wasm['invert']} mask=255 ! wasmtransform module=${wasm['checksum-clash']} seed=7 ! appsink name=out`);
    const ref = checksumReference(7);
    const inverted = pattern(256).map((b) => b ^ 255);
    expect(out).toEqual([ref(inverted), ref(inverted)]);
    expect(p.stats().bytesCopied).toBe(2 * 2 * 256);
    expect(modes(messages)['wasmtransform0']).toBe('shared');
    expect(modes(messages)['wasmtransform1']).toMatch(/^private: its constant data at 0x[0-9a-f]+\.\.0x[0-9a-f]+ overlaps another module's at 0x[0-9a-f]+\.\.0x[0-9a-f]+ in this arena/);
  });

  it('outside a pipeline with a WebAssembly arena (a harness asked for none) the kernel runs privately', async () => {
    const el = new WasmTransform('w');
    el.set('module', wasm['invert']!);
    const h = await new Harness(el, { kernels: false }).start();
    expect(h.push(new Uint8Array([0, 7]))).toBe(FlowResult.OK);
    expect([...h.pull()!.data]).toEqual([255, 248]);
    expect(el.get('mode')).toMatch(/^private: no WebAssembly arena with a kernel area here/);
    expect(h.messages.some((m) => m.type === 'warning' && m.message.includes('in a memory of its own'))).toBe(true);
    await h.stop();
  });
});

describe('kernel errors stop the pipeline with the element\'s name', () => {
  async function failure(line: string, options: PipelineOptions = {}): Promise<{ error: string; states: string[] }> {
    const p = launch(line, options);
    const states: string[] = [];
    p.bus.on('state-changed', (m) => m.source === p.name && states.push(m.to));
    const error = await p.run().then(() => 'no error', (e: unknown) => (e instanceof Error ? e.message : String(e)));
    return { error, states };
  }

  it.each([
    ['abort', 'async', 'wasmtransform0: kernel trapped in pxl_process: the faulty kernel gave up'],
    ['unreachable', 'async', 'wasmtransform0: kernel trapped in pxl_process: unreachable'],
    ['oob', 'async', 'wasmtransform0: kernel trapped in pxl_process: memory access out of bounds'],
    ['abort', 'hybrid', 'wasmtransform0: kernel trapped in pxl_process: the faulty kernel gave up'],
    ['error', 'async', 'wasmtransform0: pxl_process returned -2 (ERR_FAILED): failed on purpose'],
    ['error', 'hybrid', 'wasmtransform0: pxl_process returned -2 (ERR_FAILED): failed on purpose'],
  ] as const)('%s (%s)', async (how, scheduling, message) => {
    const { error, states } = await failure(`fakesrc num-buffers=5 sizetype=fixed sizemax=16 ! wasmtransform module=${wasm['faulty']} after=2 how=${how} ! fakesink`, { scheduling });
    expect(error).toBe(message);
    expect(states).toContain('error');
  });

  it('a sink\'s negative code carries pxl_error\'s text', async () => {
    const { error, states } = await failure(`fakesrc num-buffers=3 sizetype=fixed sizemax=16 filltype=pattern ! wasmsink module=${wasm['limit']} max=9`);
    expect(error).toBe('wasmsink0: pxl_consume returned -2 (ERR_FAILED): a byte is above max');
    expect(states).toContain('error');
  });
});

describe('wasmsrc and wasmsink', () => {
  it('wasmsrc fills buffers, stamps them from its caps\' rate, and ends when the kernel says so', async () => {
    const p = launch(`wasmsrc module=${wasm['ramp']} step=3 bytes=100 blocksize=32 ! appsink name=out`);
    const running = p.run();
    const got: { data: number[]; pts: number; duration: number; offset: number }[] = [];
    for await (const buf of p.get('out') as AsyncIterable<Buffer> & Element) {
      got.push({ data: [...buf.data], pts: buf.pts, duration: buf.duration, offset: buf.offset });
      buf.release();
    }
    await running;
    const ramp = Array.from({ length: 100 }, (_, i) => (i * 3) & 255);
    expect(got.map((b) => b.data)).toEqual([ramp.slice(0, 32), ramp.slice(32, 64), ramp.slice(64, 96), ramp.slice(96)]);
    // S16LE mono at 8 kHz: 16 samples (32 bytes) last 2 ms.
    expect(got.map((b) => [b.pts, b.duration, b.offset])).toEqual([[0, 2e6, 0], [2e6, 2e6, 32], [4e6, 2e6, 64], [6e6, 250_000, 96]]);
    expect(p.get('wasmsrc0')!.srcPads[0]!.caps?.toString()).toBe('audio/x-raw, format=(string)S16LE, layout=(string)interleaved, rate=(int)8000, channels=(int)1');
    expect(p.stats().bytesCopied).toBe(0);
  });

  it.each(['async', 'hybrid'] as const)('wasmsrc ! wasmsink with num-buffers runs to EOS (%s)', async (scheduling) => {
    const p = launch(`wasmsrc module=${wasm['ramp']} num-buffers=5 ! wasmsink module=${wasm['limit']}`, { scheduling });
    const messages: BusMessage[] = [];
    p.bus.on('message', (m) => messages.push(m));
    await p.run();
    expect(p.stats().elements['wasmsrc0']).toEqual({ buffersOut: 5, bytesOut: 5 * 4096 });
    expect(modes(messages)).toEqual({ wasmsrc0: 'shared', wasmsink0: 'shared' });
    expect(p.stats().bytesCopied).toBe(0);
  });
});

describe('two instances of one module on two threads, over one memory', () => {
  it('two Workers attached to one arena run the stateful kernel at the same time, each on its own state, byte-exact', async () => {
    const arena = Arena.create(64 * 1024 * 1024);
    const buffers = 600;
    const size = 4096;
    const control = new SharedArrayBuffer(16);
    const seeds = [0x811c9dc5, 12345];
    const results = seeds.map(() => new SharedArrayBuffer(buffers * size));
    const peers = seeds.map((seed, id) => new Peer('user-kernel-peer.mjs', { memory: arena.transferable, module: wasm['checksum'], id, seed, buffers, size, control, results: results[id] }));
    const reports = await Promise.all(peers.map((p) => p.next<{ mode: string; otherAtHalf: number; started: number; ended: number }>()));
    expect(reports.map((r) => r.mode)).toEqual(['shared', 'shared']);
    // Both claimed the same data: one claim, and the module's window holds its bytes once.
    expect(arena.kernelDataClaims).toBe(1);
    // They overlapped in time: one saw the other halfway through.
    expect(reports.some((r) => r.otherAtHalf > 0 && r.otherAtHalf < buffers)).toBe(true);
    seeds.forEach((seed, id) => {
      const ref = checksumReference(seed);
      const got = new Uint8Array(results[id]!);
      const input = new Uint8Array(size);
      for (let i = 0; i < buffers; i++) {
        for (let j = 0; j < size; j++) input[j] = (i * 7 + j * 13 + id * 101) & 255;
        const want = ref(input);
        const slice = got.subarray(i * size, (i + 1) * size);
        if (!want.every((b, j) => b === slice[j])) expect.fail(`thread ${id}, buffer ${i}: output differs from the reference`);
      }
    });
  });

  it('a hybrid pipeline with two branches runs them on two data threads, byte-exact, nothing copied', async () => {
    const n = 200;
    const line = (k: number, seed: number): string => `fakesrc num-buffers=${n} sizetype=fixed sizemax=4096 filltype=pattern ! wasmtransform name=c${k} module=${wasm['checksum']} seed=${seed} ! queue ! appsink name=out${k}`;
    const p = launch(`${line(0, 1)}  ${line(1, 2)}`, { scheduling: 'hybrid', dataThreads: 2 });
    const messages: BusMessage[] = [];
    p.bus.on('message', (m) => messages.push(m));
    const running = p.run();
    const [a, b] = await Promise.all([drain(p, 'out0'), drain(p, 'out1')]);
    await running;
    expect(new Set([p.plan!.placement.get(p.get('c0')!), p.plan!.placement.get(p.get('c1')!)])).toEqual(new Set([0, 1]));
    expect(modes(messages)).toEqual({ c0: 'shared', c1: 'shared' });
    for (const [out, seed] of [[a!, 1], [b!, 2]] as const) {
      const ref = checksumReference(seed);
      expect(out.length).toBe(n);
      out.forEach((buf, i) => {
        if (!ref(pattern(4096)).every((x, j) => x === buf[j])) expect.fail(`seed ${seed}, buffer ${i}: output differs from the reference`);
      });
    }
    expect(p.stats().bytesCopied).toBe(0);
  });
});
