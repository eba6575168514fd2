// The child side of bench/process-*.mjs. Argument: JSON { role, … }. Link endpoints arrive as
// fds: the first link as 3 (region), 4 (regions socket), 5 (doorbell); a second one as 6, 7, 8.
//   { role: 'produce', capacity, n, size, spin }  pushes n buffers (sequence number in bytes
//       0..3) through a ProcessBridgeSink, then EOS; prints { copied } when all came back
//   { role: 'echo', capacity, spin }  reads link 1, answers each buffer with a new 64-byte one
//       carrying the same sequence number on link 2, until EOS
//   { role: 'uds-produce', path, n, size }  the reference: n records of size bytes on a Unix socket
//   { role: 'uds-echo', path, size }  the reference ping-pong: echoes every size-byte record
import { connect } from 'node:net';
import { Buffer as Buf, Events, FlowResult, StreamingTask, copyStats, link, makeContext } from '../../test/fixtures/isolation/link-kit.mjs';
import { Element } from '../../dist/element/element.js';

const opts = JSON.parse(process.argv[2]);
const ep = (base) => ({ regionFd: base, byteLength: link.linkRegionBytes(opts.capacity), capacity: opts.capacity, regionsSocketFd: base + 1, doorbellFd: base + 2 });
const bridgeOptions = { mayBlock: true, spin: opts.spin ?? 10_000, label: 'bench', onViolation: (m) => { console.error(m); process.exit(3); } };

class Pads extends Element {
  static metadata = { factory: 'benchpads', classification: 'Test', description: '', example: '', properties: {},
    padTemplates: [{ name: 'src', direction: 'src', presence: 'always', caps: 'ANY' }, { name: 'sink', direction: 'sink', presence: 'always', caps: 'ANY' }] };
}

if (opts.role === 'produce') {
  const allocator = new link.MemfdAllocator(256);
  allocator.reserve(opts.size, 4 * opts.capacity + 64);
  const context = makeContext(allocator);
  const sink = new link.ProcessBridgeSink('out', ep(3), bridgeOptions);
  sink.attach(context);
  const gen = new Pads('gen');
  gen.attach(context);
  const pad = gen.pad('src');
  pad.peer = sink.pad('sink');
  sink.pad('sink').peer = pad;
  let i = 0;
  let ended = false;
  await new StreamingTask({
    name: 'gen',
    produce() {
      if (i < opts.n) {
        const b = Buf.allocate(allocator, opts.size);
        b.sequence = i;
        const d = b.data;
        d[0] = i & 255; d[1] = (i >>> 8) & 255; d[2] = (i >>> 16) & 255; d[3] = i >>> 24;
        i++;
        return b;
      }
      if (!ended) { ended = true; return Events.eos(); }
      return FlowResult.EOS;
    },
    deliver(item) {
      if (item instanceof Buf) return pad.push(item);
      pad.pushEvent(item);
      return item.type === 'eos' ? FlowResult.EOS : FlowResult.OK;
    },
    finish() {},
  }).run();
  const end = performance.now() + 5000;
  while (performance.now() < end && (sink.collectReturns(), sink.outstanding) > 0) await new Promise((r) => setTimeout(r, 1));
  console.log(JSON.stringify({ copied: copyStats().bytesCopied }));
} else if (opts.role === 'echo') {
  const allocator = new link.MemfdAllocator(256);
  allocator.reserve(64, 4 * opts.capacity + 64);
  const context = makeContext(allocator);
  const source = new link.ProcessBridgeSource('in', ep(3), bridgeOptions);
  const sink = new link.ProcessBridgeSink('out', ep(6), bridgeOptions);
  const echo = new Pads('echo');
  for (const e of [source, sink, echo]) e.attach(context);
  source.pad0.peer = echo.pad('sink');
  echo.pad('sink').peer = source.pad0;
  echo.pad('src').peer = sink.pad('sink');
  sink.pad('sink').peer = echo.pad('src');
  echo.chain = (_p, buf) => {
    const out = Buf.allocate(allocator, 64);
    out.sequence = buf.sequence;
    buf.release();
    return echo.pad('src').push(out);
  };
  await new StreamingTask(source).run();
  console.log(JSON.stringify({ copied: copyStats().bytesCopied }));
} else if (opts.role === 'uds-produce') {
  const s = connect(opts.path, async () => {
    const per = Math.max(1, Math.floor((opts.writeBytes ?? 65536) / opts.size));
    for (let i = 0; i < opts.n; i += per) {
      const m = Math.min(per, opts.n - i);
      const b = Buffer.alloc(m * opts.size);
      for (let k = 0; k < m; k++) b.writeUInt32LE(i + k, k * opts.size);
      if (!s.write(b)) await new Promise((r) => s.once('drain', r));
    }
    s.end();
  });
} else if (opts.role === 'uds-echo') {
  const s = connect(opts.path);
  s.setNoDelay?.(true);
  let carry = Buffer.alloc(0);
  s.on('data', (chunk) => {
    const data = carry.length > 0 ? Buffer.concat([carry, chunk]) : chunk;
    let at = 0;
    for (; at + opts.size <= data.length; at += opts.size) s.write(data.subarray(at, at + opts.size));
    carry = data.subarray(at);
  });
}
