import type { Caps } from '../../element/caps/index.js';
import type { Element } from '../../element/element.js';
import { Events } from '../../element/event.js';
import type { Pad } from '../../element/pad.js';

/**
 * What a parser that learns its caps from the stream (wavparse, y4mparse, the raw parsers) sends
 * before its first buffer: the caps, then a time segment, on `pad`. Returns false, having posted
 * an error that names the caps (`what`, and `detail` such as the byte offset), when downstream
 * refuses them; the caller then returns NOT_NEGOTIATED.
 */
export function announceCaps(el: Element, pad: Pad, caps: Caps, what = 'caps', detail = ''): boolean {
  pad.caps = caps;
  if (!pad.pushEvent(Events.caps(caps))) {
    el.error(`downstream refused ${what} ${caps.toString()}${detail === '' ? '' : ` (${detail})`}`);
    return false;
  }
  pad.pushEvent(Events.segment());
  return true;
}
