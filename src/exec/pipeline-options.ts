import { availableParallelism } from 'node:os';
import { ParallaxError } from '../errors.js';
import type { SandboxLimits } from '../isolation/helper-client.js';
import type { IsolationOptions } from '../isolation/partition.js';
import type { RestartOptions } from '../isolation/restart.js';
import { parseDriver, type DriverSpec } from './driver.js';
import type { SchedulingMode } from './threads/placement.js';

/** How a pipeline is scheduled; see doc/design/005-data-threads.md. */
export interface PipelineOptions {
  /** `async` (default): everything on the event loop. `hybrid` and `realtime` use data threads. */
  readonly scheduling?: SchedulingMode;
  /** Data threads at most (default: the machine's parallelism). */
  readonly dataThreads?: number;
  /** Ring places of a link the scheduler cuts (a queue's link takes the queue's max-size-buffers). */
  readonly bridgeCapacity?: number;
  /** Re-checks of a link before a waiting side sleeps. */
  readonly spin?: number;
  /** Bytes of the shared arena that holds pools and rings (address space; committed on use). */
  readonly arenaBytes?: number;
  /** Slots of a pool made for a size class no element reserved. */
  readonly slotsPerPool?: number;
  /** Plugin modules the data threads load (parallax-launch --plugin passes its own). */
  readonly plugins?: readonly string[];
  /**
   * What starts each cycle: a timer ({ type: 'timer', periodNs }, or text: "256/48000", "20ms"),
   * `manual` (call `cycle()`), or null (default): sources run free under backpressure.
   */
  readonly driver?: DriverSpec | string | null;
  /**
   * Which elements run in sandboxed processes (doc/design/007-isolation.md): `mode` 'in-process'
   * (default), 'isolated' (every element in its own process) or 'grouped' (`isolate` patterns,
   * explicit `groups`). `sandbox: false` runs hosts as plain child processes, for debugging.
   */
  readonly isolation?: PipelineIsolation;
}

export interface PipelineIsolation extends IsolationOptions {
  /** false: element hosts run as plain child processes (debugging). Default true. */
  readonly sandbox?: boolean;
  /** Resource limits of each sandboxed host (default: 4 GiB of address space, 256 files, no CPU limit). */
  readonly limits?: Partial<SandboxLimits>;
  /**
   * Restart a host that crashes instead of stopping the pipeline, at most `max` times within
   * `windowMs` (a crash loop then stops it). Each restarted host's links must end in this process.
   */
  readonly restart?: RestartOptions;
}

export interface RunOptions extends IsolationOptions {
  /** Aborting stops the pipeline; `run()` then rejects with code ABORTED. */
  readonly signal?: AbortSignal;
}

/** The options as a pipeline keeps them: every default filled in, the driver parsed. */
export type ResolvedPipelineOptions = Required<Omit<PipelineOptions, 'driver'>> & { readonly driver: DriverSpec | null };

/** `o` checked, with its defaults; a bad value is an error naming the option. */
export function resolveOptions(o: PipelineOptions): ResolvedPipelineOptions {
  const mode = o.scheduling ?? 'async';
  if (mode !== 'async' && mode !== 'hybrid' && mode !== 'realtime') throw new ParallaxError('BAD_PROPERTY_VALUE', `scheduling must be async, hybrid or realtime, got ${String(mode)}`);
  const int = (name: string, v: number | undefined, dflt: number, min: number): number => {
    if (v === undefined) return dflt;
    if (!Number.isInteger(v) || v < min) throw new ParallaxError('BAD_PROPERTY_VALUE', `${name} must be an integer >= ${min}, got ${String(v)}`);
    return v;
  };
  return {
    scheduling: mode,
    dataThreads: int('dataThreads', o.dataThreads, Math.max(1, availableParallelism()), 1),
    bridgeCapacity: int('bridgeCapacity', o.bridgeCapacity, 256, 2),
    spin: int('spin', o.spin, 64, 0),
    arenaBytes: int('arenaBytes', o.arenaBytes, 256 * 1024 * 1024, 1024 * 1024),
    slotsPerPool: int('slotsPerPool', o.slotsPerPool, 512, 1),
    plugins: o.plugins ?? [],
    driver: typeof o.driver === 'string' ? parseDriver(o.driver) : o.driver ?? null,
    isolation: o.isolation ?? {},
  };
}

/** The restart policy, checked (null: none). */
export function checkRestart(r: RestartOptions | undefined): RestartOptions | null {
  if (r === undefined) return null;
  if (!Number.isInteger(r.max) || r.max < 1) throw new ParallaxError('BAD_PROPERTY_VALUE', `isolation.restart.max must be an integer >= 1, got ${String(r.max)}`);
  if (!(r.windowMs > 0)) throw new ParallaxError('BAD_PROPERTY_VALUE', `isolation.restart.windowMs must be a positive number of milliseconds, got ${String(r.windowMs)}`);
  return r;
}

/** The pipeline's isolation with run()'s mode, patterns and groups; null when run() names none. */
export function withRunIsolation(now: PipelineIsolation, o: IsolationOptions): PipelineIsolation | null {
  if (o.mode === undefined && o.isolate === undefined && o.groups === undefined) return null;
  return {
    ...(now.sandbox === undefined ? {} : { sandbox: now.sandbox }),
    ...(now.limits === undefined ? {} : { limits: now.limits }),
    ...(now.restart === undefined ? {} : { restart: now.restart }),
    ...(o.mode === undefined ? {} : { mode: o.mode }),
    ...(o.isolate === undefined ? {} : { isolate: o.isolate }),
    ...(o.groups === undefined ? {} : { groups: o.groups }),
  };
}

/** Whether two isolation settings put the same elements in the same processes. */
export function sameIsolationPlan(a: IsolationOptions, b: IsolationOptions): boolean {
  const plan = (o: IsolationOptions): string => JSON.stringify([o.mode ?? (o.isolate !== undefined || o.groups !== undefined ? 'grouped' : 'in-process'), o.isolate ?? [], o.groups ?? []]);
  return plan(a) === plan(b);
}
