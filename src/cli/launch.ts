#!/usr/bin/env node
import { writeFileSync } from 'node:fs';
import process from 'node:process';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ParallaxError } from '../errors.js';
import { buildLaunch } from '../graph/build.js';
import { toDot } from '../graph/dot.js';
import { formatPropertyValue } from '../element/property.js';
import type { BusMessage } from '../element/message.js';
import type { Pipeline } from '../exec/pipeline.js';
import { defaultRegistry } from '../registry/builtins.js';
import { LAUNCH_USAGE, formatTime, parseLaunchArgs } from './args.js';
import { startCliMetrics } from './metrics.js';

/** Errors found before any data flows: the description itself is wrong. */
const STATIC_ERRORS = new Set(['LAUNCH_SYNTAX', 'CAPS_SYNTAX', 'UNKNOWN_ELEMENT', 'UNKNOWN_PROPERTY', 'BAD_PROPERTY_VALUE', 'BAD_LINK', 'DANGLING_REFERENCE', 'NOT_NEGOTIATED', 'PLUGIN_ERROR']);

function describe(msg: BusMessage): string {
  switch (msg.type) {
    case 'error': return `ERROR from ${msg.source}: ${msg.error.message}`;
    case 'warning': return `WARNING from ${msg.source}: ${msg.message}`;
    case 'state-changed': return `${msg.source}: state changed from ${msg.from} to ${msg.to}`;
    case 'caps': return `${msg.pad}: caps = ${msg.caps.toString()}`;
    case 'property-notify': return `/${msg.source}: ${msg.property} = ${String(msg.value)}`;
    default: return `${msg.type} from ${msg.source}: ${JSON.stringify(msg, (k, v: unknown) => (k === 'type' || k === 'source' ? undefined : v))}`;
  }
}

async function main(argv: readonly string[]): Promise<number> {
  const args = parseLaunchArgs(argv);
  if (typeof args === 'string') {
    process.stderr.write(`parallax-launch: ${args}\n${LAUNCH_USAGE}\n`);
    return 2;
  }
  if (args.help) {
    process.stdout.write(LAUNCH_USAGE + '\n');
    return 0;
  }
  if (args.description.trim() === '') {
    process.stderr.write(`parallax-launch: no pipeline given\n${LAUNCH_USAGE}\n`);
    return 2;
  }
  const registry = defaultRegistry();
  // Paths become file URLs, so that a data thread, whose module is elsewhere, imports the same file.
  const plugins = args.plugins.map((p) => (p.startsWith('.') || p.startsWith('/') ? pathToFileURL(resolve(p)).href : p));
  let pipeline: Pipeline;
  try {
    for (const p of plugins) await registry.loadPlugin(p);
    pipeline = buildLaunch(args.description, registry, {
      scheduling: args.scheduling,
      plugins,
      ...(args.dataThreads === undefined ? {} : { dataThreads: args.dataThreads }),
      ...(args.driver === undefined ? {} : { driver: args.driver }),
      ...(args.isolation === undefined && args.isolate.length === 0 ? {} : {
        isolation: { mode: args.isolation ?? 'grouped', ...(args.isolate.length > 0 ? { isolate: args.isolate } : {}), sandbox: !args.noSandbox },
      }),
    });
  } catch (e) {
    process.stderr.write(`ERROR: pipeline could not be constructed: ${e instanceof Error ? e.message : String(e)}\n`);
    return 2;
  }
  const out = (line: string): void => {
    if (!args.quiet) process.stdout.write(line + '\n');
  };
  pipeline.bus.on('message', (msg) => {
    if (args.messages) out(`Got message: ${describe(msg)}`);
    else if (args.verbose && (msg.type === 'caps' || msg.type === 'property-notify')) out(describe(msg));
    else if (msg.type === 'warning') process.stderr.write(describe(msg) + '\n');
  });
  if (args.verbose) {
    for (const el of pipeline.elements) {
      for (const [k, v] of el.changedProperties) out(`/${pipeline.name}/${el.name}: ${k} = ${formatPropertyValue(v)}`);
    }
  }
  try {
    await pipeline.prepare();
  } catch (e) {
    process.stderr.write(`ERROR: pipeline could not be prepared: ${e instanceof Error ? e.message : String(e)}\n`);
    const code = e instanceof ParallaxError && STATIC_ERRORS.has(e.code) ? 2 : 1;
    return code;
  }
  if (args.verbose && pipeline.plan !== null) {
    const plan = pipeline.plan;
    out(`Scheduling ${plan.mode}: ${plan.threadCount} data thread(s)`);
    for (const [el, t] of plan.placement) out(`  ${el.name}: ${t < 0 ? 'event loop' : `data thread ${t}`}`);
    for (const q of plan.bridgedQueues) out(`  ${q.name}: a ring between threads`);
    for (const n of plan.notes) out(`  ${n}`);
  }
  if (args.verbose && pipeline.isolationPlan !== null) {
    const plan = pipeline.isolationPlan;
    out(`Isolation ${plan.mode}: ${plan.processCount} element host process(es)${args.noSandbox ? ', not sandboxed' : ', sandboxed'}`);
    for (const el of pipeline.elements) {
      const pid = pipeline.hostPid(el.name);
      out(`  ${el.name}: ${pid === null ? 'this process' : `element host pid ${pid}`}`);
    }
    for (const n of plan.notes) out(`  ${n}`);
  }
  if (args.dot !== undefined) writeFileSync(args.dot, toDot(pipeline.name, pipeline.elements));
  if (args.dryRun) {
    out(`Pipeline ${pipeline.name} (dry run: built and negotiated, not run)`);
    for (const el of pipeline.elements) {
      for (const p of el.srcPads) {
        if (p.peer !== null) out(`  ${p.fullName} -> ${p.peer.fullName}  ${p.caps?.toString() ?? ''}`);
      }
    }
    await pipeline.suspend();
    return 0;
  }
  let closeMetrics = (): Promise<void> => Promise.resolve();
  if (args.metricsPort !== undefined) {
    try {
      closeMetrics = await startCliMetrics(pipeline, args.metricsPort);
    } catch (e) {
      process.stderr.write(`ERROR: ${e instanceof Error ? e.message : String(e)}\n`);
      await pipeline.suspend();
      return 1;
    }
  }
  const controller = new AbortController();
  let interrupts = 0;
  const onSigint = (): void => {
    interrupts++;
    if (args.eosOnShutdown && interrupts === 1) {
      out('handling interrupt: sending EOS so sinks can finish');
      pipeline.sendEos().catch((e: unknown) => {
        out(`sending EOS failed (${e instanceof Error ? e.message : String(e)}): stopping pipeline`);
        controller.abort();
      });
    } else {
      out('handling interrupt: stopping pipeline');
      controller.abort();
    }
  };
  process.on('SIGINT', onSigint);
  // A pipeline that waits on nothing that can ever happen (an appsrc nobody feeds, an appsink
  // nobody reads) leaves Node with an empty event loop. Say so instead of exiting quietly.
  const onStall = (): void => {
    const waiting = pipeline.runningTasks();
    process.stderr.write(`ERROR: pipeline stalled: nothing can make progress` +
      (waiting.length > 0 ? ` (still waiting: ${waiting.join(', ')})` : '') +
      `; an appsrc needs an application to push data and an appsink one to pull it\n`);
    process.exit(1);
  };
  process.on('beforeExit', onStall);
  out('Setting pipeline to RUNNING ...');
  const started = process.hrtime.bigint();
  try {
    await pipeline.run({ signal: controller.signal });
    out(`Got EOS from pipeline "${pipeline.name}".`);
    return 0;
  } catch (e) {
    if (e instanceof ParallaxError && e.code === 'ABORTED') return 130;
    process.stderr.write(`ERROR: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  } finally {
    process.off('SIGINT', onSigint);
    process.off('beforeExit', onStall);
    await closeMetrics();
    out(`Execution ended after ${formatTime(Number(process.hrtime.bigint() - started))}`);
    if (args.driver !== undefined) out(`Driver ${args.driver}: ${pipeline.stats().xruns} xrun(s)`);
    out('Setting pipeline to SUSPENDED ...');
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`parallax-launch: internal error: ${e instanceof Error ? e.stack : String(e)}\n`);
    process.exit(1);
  },
);
