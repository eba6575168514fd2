/**
 * The test-process side of the process-link tests: spawning a peer (test/fixtures/isolation/
 * link-peer.mjs, or a hostile one) with a link endpoint as its fds 3, 4 and 5, an element
 * context, and TypeScript twins of the fixture kit's pattern, generator and collector.
 */
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Buffer } from '../../src/element/buffer.js';
import type { ElementContext } from '../../src/element/context.js';
import { Element } from '../../src/element/element.js';
import { Events, type Event } from '../../src/element/event.js';
import { FlowResult } from '../../src/element/flow.js';
import type { ElementMetadata } from '../../src/element/metadata.js';
import type { Pad } from '../../src/element/pad.js';
import { MonotonicClock } from '../../src/exec/clock.js';
import { StreamingTask, type TaskDriver } from '../../src/exec/streaming-task.js';
import type { BufferAllocator } from '../../src/memory/allocator.js';
import { parseCaps } from '../../src/element/caps/index.js';
import type { LinkEndpoint } from '../../src/isolation/link/endpoint.js';

export const fixture = (name: string): string => fileURLToPath(new URL(`../fixtures/isolation/${name}`, import.meta.url));

export interface PeerRun {
  /** Resolves when the child exits: its exit code or signal, and its output. */
  readonly done: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>;
  kill(): void;
}

/** Spawns `script` with `endpoint`'s fds as 3, 4, 5 and `opts` as JSON in argv[2]. */
export function runPeer(script: string, endpoint: LinkEndpoint, opts: unknown): PeerRun {
  const child = spawn(process.execPath, [fixture(script), JSON.stringify(opts)], {
    stdio: ['ignore', 'pipe', 'pipe', endpoint.regionFd, endpoint.regionsSocketFd, endpoint.doorbellFd],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d: Uint8Array) => (stdout += String(d)));
  child.stderr?.on('data', (d: Uint8Array) => (stderr += String(d)));
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>((resolve) => {
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return { done, kill: () => child.kill('SIGKILL') };
}

/** The last JSON line a peer printed. */
export function lastJson<T = Record<string, unknown>>(stdout: string): T {
  const lines = stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]!) as T;
}

export function makeContext(allocator: BufferAllocator, errors: string[] = []): ElementContext {
  return {
    allocator,
    clock: new MonotonicClock(),
    baseTime: 0,
    post: (m) => {
      if (m.type === 'error') errors.push(m.error.message);
    },
    blockUpstream: (p) => StreamingTask.current?.block(p),
    sinkReachedEos: () => {},
  };
}

/** This process's open fds (to check that a test leaks none). */
export function openFds(): string[] {
  return readdirSync('/proc/self/fd').sort();
}

export const patternByte = (i: number, j: number): number => (i * 131 + j * 7) & 255;

export function fillBuffer(buf: Buffer, i: number, size: number): void {
  const d = buf.data;
  d[0] = i & 255; d[1] = (i >>> 8) & 255; d[2] = (i >>> 16) & 255; d[3] = (i >>> 24) & 255;
  for (let j = 4; j < size; j++) d[j] = patternByte(i, j);
  buf.pts = i * 1000;
  buf.dts = i * 1000 - 5;
  buf.duration = 1000;
  buf.offset = i * size;
  buf.sequence = i;
  buf.flags = i & 0x3f;
  buf.streamId = i % 7;
  buf.capsId = i % 3;
}

export function checkBuffer(buf: Buffer, i: number, size: number): string | null {
  const d = buf.data;
  if (buf.size !== size) return `buffer ${i}: size ${buf.size}`;
  const got = (d[0]! | (d[1]! << 8) | (d[2]! << 16) | (d[3]! << 24)) >>> 0;
  if (got !== i) return `buffer ${i}: arrived as ${got}`;
  for (let j = 4; j < size; j++) if (d[j] !== patternByte(i, j)) return `buffer ${i}: byte ${j} is ${d[j]}`;
  if (buf.pts !== i * 1000 || buf.dts !== i * 1000 - 5 || buf.duration !== 1000 || buf.offset !== i * size || buf.sequence !== i
    || buf.flags !== (i & 0x3f) || buf.streamId !== i % 7 || buf.capsId !== i % 3) return `buffer ${i}: metadata differs`;
  return null;
}

const SRC = [{ name: 'src', direction: 'src', presence: 'always', caps: 'ANY' }] as const;
const SINK = [{ name: 'sink', direction: 'sink', presence: 'always', caps: 'ANY' }] as const;

export class Gen extends Element {
  static readonly metadata: ElementMetadata = {
    factory: 'linkgen', classification: 'Source', description: 'test generator', example: '', padTemplates: [...SRC], properties: {}, affinity: 'auto', rtSafe: true,
  };
}

/** stream-start, caps, `count` numbered buffers (a custom event every `markEvery`), EOS. */
export function genDriver(gen: Gen, allocator: BufferAllocator, count: number, size: number, markEvery = 0): TaskDriver {
  const pad = gen.pad('src')!;
  const head: Event[] = [Events.streamStart('s0'), Events.caps(parseCaps('application/x-test, n=(int)1'))];
  let i = 0;
  let ended = false;
  let marked = -1;
  return {
    name: 'gen',
    produce() {
      const first = head.shift();
      if (first !== undefined) return first;
      if (i < count) {
        if (markEvery > 0 && i > 0 && i % markEvery === 0 && marked !== i) {
          marked = i;
          return Events.custom('mark', { at: i, text: 'ünïcödé' });
        }
        const buf = Buffer.allocate(allocator, size);
        fillBuffer(buf, i, size);
        i++;
        return buf;
      }
      if (!ended) {
        ended = true;
        return Events.eos();
      }
      return FlowResult.EOS;
    },
    deliver(item) {
      if (item instanceof Buffer) return pad.push(item);
      pad.pushEvent(item);
      return item.type === 'eos' ? FlowResult.EOS : FlowResult.OK;
    },
    finish() {},
  };
}

/** Checks each buffer against the pattern, records events, releases (or holds `hold` at a time). */
export class Collector extends Element {
  static readonly metadata: ElementMetadata = {
    factory: 'linkcollector', classification: 'Sink', description: 'test collector', example: '', padTemplates: [...SINK], properties: {}, affinity: 'auto', rtSafe: true,
  };
  next = 0;
  writable = 0;
  hold = 0;
  readonly errors: string[] = [];
  readonly events: string[] = [];
  readonly held: Buffer[] = [];

  constructor(private readonly size: number) {
    super('collector');
  }

  override chain(_pad: Pad, buf: Buffer): FlowResult {
    const bad = checkBuffer(buf, this.next, this.size);
    if (bad !== null && this.errors.length < 5) this.errors.push(bad);
    if (buf.isWritable) this.writable++;
    this.next++;
    if (this.hold > 0) {
      this.held.push(buf);
      if (this.held.length >= this.hold) for (const b of this.held.splice(0)) b.release();
    } else {
      buf.release();
    }
    return FlowResult.OK;
  }

  override sinkEvent(_pad: Pad, ev: Event): boolean {
    this.events.push(ev.type === 'custom' ? `custom:${ev.name}@${this.next}:${JSON.stringify(ev.data)}` : ev.type === 'caps' ? `caps:${String(ev.caps)}` : ev.type);
    return true;
  }
}

/** Links `src` to `sink` both ways (what the executor does). */
export function linkPads(src: Pad, sink: Pad): void {
  src.peer = sink;
  sink.peer = src;
}
