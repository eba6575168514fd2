import type { Element } from '../element/element.js';
import { Funnel } from '../elements/flow/funnel.js';
import { Tee } from '../elements/flow/tee.js';
import { Pipeline, type PipelineOptions } from '../exec/pipeline.js';
import { ValueJoin } from './elements/value-join.js';
import { ValueSink } from './elements/value-sink.js';
import { ValueSource } from './elements/value-source.js';
import { ValueStage } from './elements/value-stage.js';
import { ValueZip } from './elements/value-zip.js';
import { ValueDecode, ValueEncode } from './elements/value-codec-element.js';
import { ValueModuleStage } from './elements/value-module-stage.js';
import { ValueLoopModuleStage } from './elements/value-loop-module-stage.js';
import type { FlowNode } from './flow-graph.js';
import type { Consumer } from './targets.js';

/**
 * Turns a flow's node tree into an engine pipeline: one element per node (a funnel for merge),
 * linked as the tree says, ending in a ValueSink. Elements are named after their operation and a
 * counter (`map0`, `filter1`, ...) unless the stage was given a name, so bus messages, errors and
 * `pipeline.stats()` speak of the stages the user wrote. A run of module stages that asks for a
 * data thread gets a `valueencode` before it and a `valuedecode` after it, its last stage
 * encodes its output, and the pipeline is scheduled `hybrid` (unless the options say otherwise)
 * so the run lands on one thread. A module stage with `{ thread: false }` is a
 * ValueLoopModuleStage, which placement keeps on the event loop in any scheduling mode.
 */
export function materialize<T>(sinkNode: FlowNode, consumer: Consumer<T>, options: PipelineOptions & { readonly name?: string; readonly sinkName?: string } = {}): Pipeline {
  const threaded = hasThreadStage(sinkNode);
  const pipeline = new Pipeline(options.name ?? 'typed0', threaded && options.scheduling === undefined ? { ...options, scheduling: 'hybrid' } : options);
  const counters = new Map<string, number>();
  const nameFor = (op: string, given: string | undefined): string => {
    if (given !== undefined) return given;
    for (;;) {
      const n = counters.get(op) ?? 0;
      counters.set(op, n + 1);
      const name = `${op}${n}`;
      if (pipeline.get(name) === undefined) return name;
    }
  };
  const add = <E extends Element>(el: E): E => {
    pipeline.add(el);
    return el;
  };
  // A flow value used by more than one stage is built once and fanned out through a tee (values
  // are shared by reference: no stage changes the arrays or items it is given).
  const uses = countUses(sinkNode);
  const fanOut = new Map<FlowNode, Element>();
  const build = (node: FlowNode): Element => {
    if ((uses.get(node) ?? 1) === 1) return buildNode(node);
    let tee = fanOut.get(node);
    if (tee === undefined) {
      const el = buildNode(node);
      tee = add(new Tee(nameFor('tee', undefined)));
      pipeline.link(el, tee);
      fanOut.set(node, tee);
    }
    return tee;
  };
  const buildNode = (node: FlowNode): Element => {
    if (node.kind === 'module') return buildModuleEnd(node);
    switch (node.kind) {
      case 'source':
        return add(new ValueSource(nameFor('from', node.name), node.input, node.chunk));
      case 'stage': {
        const up = build(node.from);
        const el = add(new ValueStage(nameFor(node.op, node.name), node.operator(), node.op));
        pipeline.link(up, el);
        return el;
      }
      case 'merge': {
        const inputs = node.from.map(build);
        const el = add(new Funnel(nameFor('merge', node.name)));
        for (const input of inputs) pipeline.link(input, el);
        return el;
      }
      case 'zip':
      case 'join': {
        // Both inputs fed by one source (a diamond) share its streaming task: holding one back
        // would stop the other too, so such a zip buffers (and a join drops) instead (see ValueZip, ValueJoin).
        const a = build(node.a);
        const b = build(node.b);
        const mayWait = !sharesUpstream(node.a, node.b);
        const el = add(node.kind === 'zip' ? new ValueZip(nameFor('zip', node.name), mayWait) : new ValueJoin(nameFor('join', node.name), node.options, mayWait));
        pipeline.link(a, el, { sink: 'a' });
        pipeline.link(b, el, { sink: 'b' });
        return el;
      }
    }
  };
  /** A module stage and the run of module stages before it on the same data thread. */
  const buildModule = (node: Extract<FlowNode, { kind: 'module' }>): ValueModuleStage => {
    let up: Element;
    let enc: ValueEncode | null = null;
    // The run on the thread goes on through an upstream module stage unless that one fans out.
    if (node.thread && node.from.kind === 'module' && node.from.thread && (uses.get(node.from) ?? 1) === 1) {
      up = buildModule(node.from);
    } else {
      up = build(node.from);
      if (node.thread) {
        enc = add(new ValueEncode(nameFor('encode', undefined), node.codec));
        pipeline.link(up, enc);
        up = enc;
      }
    }
    // `{ thread: false }`: a class placement keeps on the event loop whatever the scheduling.
    const name = nameFor(node.op, node.name);
    const el = add(node.thread ? new ValueModuleStage(name) : new ValueLoopModuleStage(name));
    // Errors of the codec elements name the stage the user wrote, not `encode0`.
    if (enc !== null) enc.stage = name;
    el.set('module', node.fn.module);
    el.set('export', node.fn.export);
    el.set('kind', node.op);
    el.set('codec', node.codec);
    pipeline.link(up, el);
    return el;
  };
  /** The end of a run of thread stages: encode there, decode back on the event loop. */
  const buildModuleEnd = (node: Extract<FlowNode, { kind: 'module' }>): Element => {
    const el = buildModule(node);
    if (!node.thread) return el;
    el.set('encode-output', true);
    const dec = add(new ValueDecode(nameFor('decode', undefined), node.codec));
    dec.stage = el.name;
    pipeline.link(el, dec);
    return dec;
  };
  const last = build(sinkNode);
  const sink = add(new ValueSink(nameFor('to', options.sinkName), consumer.consume, consumer.close));
  pipeline.link(last, sink);
  return pipeline;
}

/** Whether any stage of the tree asks for a data thread. */
function hasThreadStage(node: FlowNode): boolean {
  switch (node.kind) {
    case 'source': return false;
    case 'module': return node.thread || hasThreadStage(node.from);
    case 'stage': return hasThreadStage(node.from);
    case 'merge': return node.from.some(hasThreadStage);
    case 'zip':
    case 'join': return hasThreadStage(node.a) || hasThreadStage(node.b);
  }
}

/** The nodes a node is built from, directly. */
function inputsOf(node: FlowNode): readonly FlowNode[] {
  switch (node.kind) {
    case 'source': return [];
    case 'module':
    case 'stage': return [node.from];
    case 'merge': return node.from;
    case 'zip':
    case 'join': return [node.a, node.b];
  }
}

/** How many stages take each node's values (the sink counts as one for the root). */
function countUses(root: FlowNode): Map<FlowNode, number> {
  const uses = new Map<FlowNode, number>([[root, 1]]);
  const visit = (node: FlowNode): void => {
    for (const input of inputsOf(node)) {
      const n = (uses.get(input) ?? 0) + 1;
      uses.set(input, n);
      if (n === 1) visit(input);
    }
  };
  visit(root);
  return uses;
}

/** Whether two flows have a node in common upstream (so one source task feeds both). */
function sharesUpstream(a: FlowNode, b: FlowNode): boolean {
  const seen = new Set<FlowNode>();
  const collect = (n: FlowNode): void => {
    if (seen.has(n)) return;
    seen.add(n);
    for (const i of inputsOf(n)) collect(i);
  };
  collect(a);
  const stack = [b];
  const visited = new Set<FlowNode>();
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (seen.has(n)) return true;
    if (visited.has(n)) continue;
    visited.add(n);
    stack.push(...inputsOf(n));
  }
  return false;
}
