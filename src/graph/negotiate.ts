import { ParallaxError } from '../errors.js';
import { Caps, explainMismatch } from '../element/caps/index.js';
import type { Element } from '../element/element.js';
import type { Pad } from '../element/pad.js';
import { topologicalOrder } from './topology.js';

/**
 * Global negotiation, run once when the pipeline prepares.
 *
 * 1. Upstream pass (sinks first): what each sink pad can accept, given everything downstream of
 *    it ("downstream suggests").
 * 2. Downstream pass (sources first): each src pad proposes what it can produce, intersects it
 *    with what its peer accepts, fixates, and the result is set on both pads ("upstream decides").
 *
 * A link that cannot agree fails with the link, both sides' caps and the field at fault. When the
 * real conflict lies further downstream, the check against the peer's own template lets this
 * link pass and the failure is reported where the conflict is.
 */
export function negotiate(elements: readonly Element[]): void {
  const order = topologicalOrder(elements);
  const accepted = new Map<Pad, Caps>();

  for (let i = order.length - 1; i >= 0; i--) {
    const el = order[i]!;
    for (const sinkPad of el.sinkPads) {
      let caps = el.sinkCaps(sinkPad);
      const branches: [Pad, Caps][] = [];
      for (const srcPad of el.srcPads) {
        const peerAccepts = srcPad.peer === null ? Caps.ANY : accepted.get(srcPad.peer) ?? Caps.ANY;
        const downstream = srcPad.template.caps.intersect(peerAccepts);
        if (srcPad.peer !== null && downstream.isEmpty() === false) {
          // What this element could ever output: if even that misses what downstream takes, the
          // conflict is on this link (a capsfilter asking for what the sink refuses).
          const canOutput = srcPad.template.caps.intersect(el.transformCaps(sinkPad, sinkPad.template.caps));
          if (!canOutput.canIntersect(peerAccepts)) fail(srcPad, srcPad.peer, canOutput, peerAccepts);
        }
        const wanted = el.transformCaps(srcPad, downstream);
        if (srcPad.peer !== null) branches.push([srcPad, wanted]);
        caps = caps.intersect(wanted);
      }
      if (caps.isEmpty() && branches.length > 1) branchConflict(el.name, branches);
      accepted.set(sinkPad, caps);
    }
  }

  for (const el of order) {
    const input = el.sinkPads.find((p) => p.caps !== null);
    for (const srcPad of el.srcPads) {
      const peer = srcPad.peer;
      if (peer === null) continue;
      const proposed = input === undefined ? el.sourceCaps(srcPad) : srcPad.template.caps.intersect(el.transformCaps(input, input.caps!));
      if (proposed.isEmpty() && input !== undefined && input.peer !== null) {
        fail(input.peer, input, input.caps!, el.transformCaps(srcPad, srcPad.template.caps));
      }
      const wanted = accepted.get(peer) ?? peer.template.caps;
      let possible = proposed.intersect(wanted);
      if (possible.isEmpty()) {
        const local = proposed.intersect(peer.element.sinkCaps(peer));
        if (local.isEmpty()) fail(srcPad, peer, proposed, peer.element.sinkCaps(peer));
        possible = local;
      }
      const fixed = el.fixateCaps(srcPad, possible);
      srcPad.caps = fixed;
      peer.caps = fixed;
      if (!el.setCaps(srcPad, fixed)) fail(srcPad, peer, fixed, wanted, `${el.name} refused caps ${fixed.toString()}`);
      if (!peer.element.setCaps(peer, fixed)) fail(srcPad, peer, fixed, wanted, `${peer.element.name} refused caps ${fixed.toString()}`);
    }
  }
}

/** One stream cannot go to branches that want formats with nothing in common (a tee). */
function branchConflict(element: string, branches: readonly [Pad, Caps][]): void {
  for (let i = 0; i < branches.length; i++) {
    for (let j = i + 1; j < branches.length; j++) {
      const [a, ca] = branches[i]!;
      const [b, cb] = branches[j]!;
      if (!ca.canIntersect(cb)) {
        throw new ParallaxError('NOT_NEGOTIATED',
          `${element} cannot send one stream to both ${a.fullName} and ${b.fullName}: ${explainMismatch(ca, cb)}\n` +
          `  ${a.fullName} leads to: ${ca.toString()}\n` +
          `  ${b.fullName} leads to: ${cb.toString()}`);
      }
    }
  }
}

function fail(src: Pad, sink: Pad, upstream: Caps, downstream: Caps, reason?: string): never {
  const why = reason ?? explainMismatch(upstream, downstream);
  throw new ParallaxError('NOT_NEGOTIATED',
    `cannot link ${src.fullName} to ${sink.fullName}: ${why}\n` +
    `  ${src.fullName} offers: ${upstream.toString()}\n` +
    `  ${sink.fullName} accepts: ${downstream.toString()}`);
}
