import { fstatSync } from 'node:fs';
import type { ElementContext } from '../../element/context.js';
import { closeFd, fdSize } from '../../isolation/fd.js';
import { LinkMonitor } from '../../isolation/link/cross-ring.js';
import type { LinkEndpoint } from '../../isolation/link/endpoint.js';
import { ProcessBridgeSource } from '../../isolation/link/process-bridge-source.js';
import { MemfdRegion } from '../../isolation/memfd-region.js';
import { MemfdSeal, requireNative } from '../../isolation/native.js';
import type { Hello } from './control-client.js';

const SPIN = 64;
const NEEDED_SEALS = MemfdSeal.SHRINK | MemfdSeal.GROW;

/**
 * ipcsrc's side of the link a hello described: the ProcessBridgeSource that reads it, over fds
 * checked first — a sealed memfd of at least the announced size, and two sockets — since they
 * come from another program. Throws an Error saying which fd is wrong; the fds are closed then.
 *
 * The producer made this link, so nobody else will tell its consumer that the producer died (in
 * an isolated pipeline the supervisor does): when the control socket ends, `producerGone()`
 * marks it in the link region itself, and the bridge still reads what was published before.
 */
export class ConsumerLink {
  readonly bridge: ProcessBridgeSource;
  private readonly monitor: LinkMonitor;
  private readonly sockets: readonly number[];

  constructor(hello: Hello, options: { label: string; context: ElementContext; onViolation(message: string): void }) {
    const [regionFd, regionsFd, doorbellFd] = hello.fds as [number, number, number];
    const { capacity, byteLength } = hello.message;
    try {
      const seals = requireNative().memfdSeals(regionFd);
      if (seals < 0 || (seals & NEEDED_SEALS) !== NEEDED_SEALS) throw new Error(`the link region fd is not a memfd sealed against shrink and grow (seals ${seals})`);
      const size = fdSize(regionFd);
      if (size < byteLength) throw new Error(`the link region is ${size} bytes; its hello said ${byteLength}`);
      for (const [what, fd] of [['regions socket', regionsFd], ['doorbell', doorbellFd]] as const) {
        if (!fstatSync(fd).isSocket()) throw new Error(`the ${what} fd is not a socket`);
      }
      const endpoint: LinkEndpoint = { regionFd, byteLength, capacity, regionsSocketFd: regionsFd, doorbellFd };
      this.bridge = new ProcessBridgeSource(`${options.label}<`, endpoint, { mayBlock: false, spin: SPIN, label: options.label, onViolation: options.onViolation });
      this.bridge.attach(options.context);
      this.monitor = new LinkMonitor(MemfdRegion.attach(regionFd, byteLength, true).buffer, capacity, -1, -1);
    } catch (e) {
      for (const fd of hello.fds) closeFd(fd);
      throw e;
    }
    // Both mappings are made; the region needs no fd any more.
    closeFd(regionFd);
    this.sockets = [regionsFd, doorbellFd];
  }

  /** The producer hung up: the bridge ends once it has read what was published. */
  producerGone(): void {
    this.monitor.producerGone();
  }

  close(): void {
    this.bridge.unblock();
    this.bridge.close();
    for (const fd of this.sockets) closeFd(fd);
  }
}
