import { Worker, MessageChannel } from 'node:worker_threads';
import * as Comlink from 'comlink';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import type { PropertyValue } from '../../element/property.js';
import { ParallaxError, type WireRefusal } from '../../errors.js';
import type { FromThread, ThreadInit, ThreadStats, ToThread, WireValue } from './protocol.js';

/** The control interface a data thread exposes through comlink. */
export interface ThreadControl {
  /** Null when set; the refusal as plain data otherwise (comlink would drop an error's code). */
  setProperty(element: string, property: string, value: WireValue): WireRefusal | null;
  getProperty(element: string, property: string): PropertyValue;
  stats(): ThreadStats;
}

const ENTRY = new URL('../../../workers/data-thread.mjs', import.meta.url);

/** How long a stopping thread may take before it is terminated. */
const STOP_TIMEOUT_MS = 3000;

/**
 * The event loop's handle on one data thread: starts the worker, speaks the control protocol,
 * and notices when the worker dies (an uncaught throw, process.exit in an element, a crash), so
 * the pipeline can report it instead of waiting for ever.
 */
export class DataThread {
  private readonly worker: Worker;
  private readonly port: import('node:worker_threads').MessagePort;
  private readonly control: Comlink.Remote<ThreadControl>;
  /** Rejects once the thread is gone or going (stopped, exited, crashed): control calls race it. */
  private readonly gone: Promise<never>;
  private markGone!: (why: string) => void;
  private readonly controlPort: import('node:worker_threads').MessagePort;
  private stopping = false;
  private exited = false;
  /** The thread said it prepared: it listens for stop from then on. */
  private isPrepared = false;
  private prepared: Promise<void>;
  private stoppedResolve: (() => void) | null = null;
  /** The last stats the thread reported. */
  lastStats: ThreadStats = { pads: {}, pools: { pools: 0, slots: 0, freeSlots: 0, poolsAdded: 0 }, bytesCopied: 0 };

  constructor(readonly init: ThreadInit, readonly elementNames: readonly string[], private readonly handlers: {
    onMessage(m: FromThread): void;
    onDeath(reason: string): void;
  }) {
    const { port1, port2 } = new MessageChannel();
    const control = new MessageChannel();
    this.port = port1;
    this.controlPort = control.port1;
    this.worker = new Worker(ENTRY, {
      workerData: { init, port: port2, control: control.port2 },
      transferList: [port2, control.port2],
      name: `parallax-data-${init.index}`,
    });
    this.control = Comlink.wrap<ThreadControl>(nodeEndpoint(control.port1));
    this.gone = new Promise<never>((_, reject) => (this.markGone = (why) => reject(new Error(why))));
    this.gone.catch(() => {}); // only calls in flight care
    let preparedResolve!: () => void;
    let preparedReject!: (e: Error) => void;
    this.prepared = new Promise((res, rej) => {
      preparedResolve = res;
      preparedReject = rej;
    });
    this.prepared.catch(() => {}); // a thread stopped before anyone waited for it to prepare
    this.port.on('message', (m: FromThread) => {
      if (m.type === 'prepared') {
        this.isPrepared = true;
        preparedResolve();
      }
      else if (m.type === 'prepare-failed') preparedReject(Object.assign(new Error(m.message), { element: m.element }));
      else if (m.type === 'stats') this.lastStats = m.stats;
      else if (m.type === 'stopped') {
        this.lastStats = m.stats;
        this.stoppedResolve?.();
      }
      this.handlers.onMessage(m);
    });
    this.worker.on('error', (e) => {
      this.markGone(`failed (${e.message})`);
      preparedReject(Object.assign(new Error(`data thread ${init.index} failed: ${e.message}`), { element: elementNames[0] ?? '' }));
      if (!this.stopping) this.handlers.onDeath(`threw ${e.message}`);
    });
    this.worker.on('exit', (code) => {
      this.exited = true;
      this.markGone(`exited with code ${code}`);
      preparedReject(Object.assign(new Error(`data thread ${init.index} exited with code ${code} while preparing`), { element: elementNames[0] ?? '' }));
      this.stoppedResolve?.();
      if (!this.stopping) this.handlers.onDeath(`exited with code ${code}`);
    });
  }

  /**
   * A control-plane call (comlink) to the thread. It settles even when the thread never answers:
   * a thread that is stopped, exits or crashes meanwhile rejects it with ABORTED, naming the
   * thread and the call (comlink forgets pending calls when its proxy is released).
   */
  async call<T>(what: string, fn: (control: Comlink.Remote<ThreadControl>) => Promise<T>): Promise<T> {
    const gone = this.gone.catch((e: Error): never => {
      throw new ParallaxError('ABORTED', `${what}: data thread ${this.init.index} ${e.message} before answering`);
    });
    if (this.stopping || this.exited) return gone;
    return Promise.race([fn(this.control), gone]);
  }

  /** Resolves when the thread loaded, linked and started its elements; rejects naming the element that failed. */
  whenPrepared(): Promise<void> {
    return this.prepared;
  }

  send(m: ToThread): void {
    if (!this.exited) this.port.postMessage(m);
  }

  /** Stops the thread's tasks and elements, then ends the worker. Never hangs: a thread that does not answer is terminated. */
  async stop(): Promise<void> {
    return (this.stopped ??= this.doStop());
  }

  private stopped: Promise<void> | null = null;

  private async doStop(): Promise<void> {
    this.stopping = true;
    this.markGone('was stopped');
    // Before it prepared, a thread does not listen for stop (an element's start() may never end,
    // and cannot be interrupted): it is terminated at once instead of after the timeout. A
    // 'prepared' still in the port when the stop comes loses that race: its elements are not
    // stopped, as after a failed prepare; what they hold goes with the worker.
    if (!this.exited && this.isPrepared) {
      const stopped = new Promise<void>((resolve) => (this.stoppedResolve = resolve));
      this.send({ type: 'stop' });
      let timer: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([stopped, new Promise<void>((resolve) => (timer = setTimeout(resolve, STOP_TIMEOUT_MS)))]);
      clearTimeout(timer);
    }
    this.control[Comlink.releaseProxy]();
    this.controlPort.close();
    this.port.close();
    await this.worker.terminate();
  }
}
