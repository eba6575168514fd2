import { ParallaxError } from '../errors.js';
import type { Element } from '../element/element.js';
import type { Pad } from '../element/pad.js';

/**
 * Checks, before negotiation, that every always pad is linked: an unlinked pad would otherwise
 * surface later as a "not-linked" stream error, far from its cause.
 */
export function validateLinks(elements: readonly Element[], reserved: ReadonlySet<Pad> = new Set()): void {
  if (elements.length === 0) throw new ParallaxError('BAD_LINK', 'the pipeline has no elements');
  const problems: string[] = [];
  for (const el of elements) {
    for (const pad of el.pads) {
      if (pad.peer !== null || pad.template.presence !== 'always' || reserved.has(pad)) continue;
      const hint = pad.direction === 'src' ? `link it to a sink (for example "! fakesink")` : `link a source to it`;
      problems.push(`${pad.fullName} is not linked: ${hint}`);
    }
  }
  if (problems.length > 0) throw new ParallaxError('BAD_LINK', problems.join('\n'));
}
