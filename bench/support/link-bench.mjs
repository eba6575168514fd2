// What bench/process-*.mjs share: a child for the link side (link-bench-peer.mjs) with its link
// fds, the parent's bridges and element context, and the Unix-socket reference.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const PEER = fileURLToPath(new URL('./link-bench-peer.mjs', import.meta.url));

/** Spawns the bench peer with the fds of `endpoints` as 3, 4, 5 (and 6, 7, 8). */
export function spawnPeer(opts, endpoints = []) {
  const fds = endpoints.flatMap((e) => [e.regionFd, e.regionsSocketFd, e.doorbellFd]);
  const child = spawn(process.execPath, [PEER, JSON.stringify(opts)], { stdio: ['ignore', 'pipe', 'inherit', ...fds] });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  const done = new Promise((resolve) => child.on('close', (code, signal) => resolve({ code, signal, out })));
  return { child, done };
}

/**
 * The reference: a child writes n records of `size` bytes (sequence number first) to a Unix
 * stream socket, in writes of `writeBytes`; this process reads and checks them. Returns seconds from the first byte to the last.
 */
export async function udsStream(n, size, writeBytes = 65536) {
  const path = join(tmpdir(), `parallax-bench-${process.pid}-${Math.random().toString(36).slice(2)}.sock`);
  let t0 = 0;
  return new Promise((resolve, reject) => {
    const server = createServer((sock) => {
      let next = 0;
      let carry = Buffer.alloc(0);
      sock.on('data', (chunk) => {
        if (t0 === 0) t0 = performance.now();
        const data = carry.length > 0 ? Buffer.concat([carry, chunk]) : chunk;
        let at = 0;
        for (; at + size <= data.length; at += size) {
          if (data.readUInt32LE(at) !== next) reject(new Error(`uds: record ${next} arrived as ${data.readUInt32LE(at)}`));
          next++;
        }
        carry = data.subarray(at);
        if (next === n) {
          const t = (performance.now() - t0) / 1000;
          server.close();
          sock.destroy();
          resolve(t);
        }
      });
    });
    server.listen(path, () => spawnPeer({ role: 'uds-produce', path, n, size, writeBytes }));
  });
}

/** The reference ping-pong: `n` round trips of a `size`-byte record over a Unix socket; µs each. */
export async function udsPingPong(n, warmup, size) {
  const path = join(tmpdir(), `parallax-bench-${process.pid}-${Math.random().toString(36).slice(2)}.sock`);
  return new Promise((resolve) => {
    const server = createServer((sock) => {
      sock.setNoDelay?.(true);
      const rt = new Float64Array(n);
      const msg = Buffer.alloc(size);
      let i = 0;
      let got = 0;
      let t = 0n;
      const send = () => {
        msg.writeUInt32LE(i, 0);
        t = process.hrtime.bigint();
        sock.write(msg);
      };
      sock.on('data', (chunk) => {
        got += chunk.length;
        if (got < size) return;
        got -= size;
        const dt = Number(process.hrtime.bigint() - t) / 1000;
        if (i >= warmup) rt[i - warmup] = dt;
        i++;
        if (i < n + warmup) send();
        else {
          server.close();
          sock.destroy();
          resolve(rt);
        }
      });
      send();
    });
    server.listen(path, () => spawnPeer({ role: 'uds-echo', path, size }));
  });
}

export function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];
}
