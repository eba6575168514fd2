import { ParallaxError } from '../errors.js';
import { explainMismatch } from '../element/caps/index.js';
import type { Element } from '../element/element.js';
import type { Pad } from '../element/pad.js';
import type { PadDirection } from '../element/pad-template.js';

/** Links a src pad to a sink pad, checking direction, free pads and template caps. */
export function linkPads(src: Pad, sink: Pad): void {
  if (src.direction !== 'src') throw new ParallaxError('BAD_LINK', `cannot link ${src.fullName} to ${sink.fullName}: ${src.fullName} is a sink pad`);
  if (sink.direction !== 'sink') throw new ParallaxError('BAD_LINK', `cannot link ${src.fullName} to ${sink.fullName}: ${sink.fullName} is a src pad`);
  if (src.peer !== null) throw new ParallaxError('BAD_LINK', `cannot link ${src.fullName} to ${sink.fullName}: ${src.fullName} is already linked to ${src.peer.fullName}`);
  if (sink.peer !== null) throw new ParallaxError('BAD_LINK', `cannot link ${src.fullName} to ${sink.fullName}: ${sink.fullName} is already linked to ${sink.peer.fullName}`);
  if (src.element === sink.element) throw new ParallaxError('BAD_LINK', `cannot link ${src.fullName} to ${sink.fullName}: an element cannot link to itself`);
  const a = src.template.caps;
  const b = sink.template.caps;
  if (!a.canIntersect(b)) {
    throw new ParallaxError('BAD_LINK', `cannot link ${src.fullName} to ${sink.fullName}: ${explainMismatch(a, b)}`);
  }
  src.peer = sink;
  sink.peer = src;
}

/** Undoes a link. */
export function unlinkPads(src: Pad): void {
  if (src.peer !== null) src.peer.peer = null;
  src.peer = null;
}

/**
 * Finds the pad of `el` to link in `direction`: the named one (making a request pad if needed),
 * or the first free always pad, or a new request pad. Throws a BAD_LINK that says why not.
 */
export function pickPad(el: Element, direction: PadDirection, name?: string): Pad {
  if (name !== undefined) {
    const existing = el.pad(name);
    if (existing) {
      if (existing.direction !== direction) {
        throw new ParallaxError('BAD_LINK', `${el.name}:${name} is a ${existing.direction} pad, not a ${direction} pad`);
      }
      return existing;
    }
    const t = el.templates.find((tp) => tp.direction === direction && tp.matches(name));
    if (t?.presence === 'request') return el.requestPad(name);
    if (t?.presence === 'sometimes') {
      throw new ParallaxError('BAD_LINK', `${el.name}:${name} is a sometimes pad that does not exist yet`);
    }
    const names = el.templates.filter((tp) => tp.direction === direction).map((tp) => tp.name);
    throw new ParallaxError('BAD_LINK', `${el.name} (${el.factory}) has no ${direction} pad "${name}"${names.length ? `; its ${direction} pads: ${names.join(', ')}` : ''}`);
  }
  const free = el.pads.find((p) => p.direction === direction && p.peer === null && p.template.presence === 'always');
  if (free) return free;
  if (el.templates.some((t) => t.direction === direction && t.presence === 'request')) return el.requestPad(direction);
  const any = el.pads.some((p) => p.direction === direction) || el.templates.some((t) => t.direction === direction);
  if (!any) {
    const role = direction === 'src' ? 'a sink: it has no src pads' : 'a source: it has no sink pads';
    throw new ParallaxError('BAD_LINK', `${el.name} (${el.factory}) is ${role}`);
  }
  throw new ParallaxError('BAD_LINK', `${el.name} (${el.factory}) has no free ${direction} pad`);
}
