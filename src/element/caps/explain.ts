import type { Caps } from './caps.js';
import { featuresMatch, SYSTEM_MEMORY } from './features.js';
import type { CapsFeatures } from './features.js';
import { formatValue, typeName } from './format.js';
import type { Structure } from './structure.js';
import { firstConflict } from './structure-ops.js';
import { isFixedValue } from './value.js';
import type { CapsValue } from './value.js';

/**
 * Why two caps do not intersect, in one short phrase for link and negotiation errors:
 * `format F64LE not in {S16LE, F32LE}`, `channels 2 != 1`, `media type video/x-raw != audio/x-raw`.
 *
 * Caps with several structures are explained through one pair: the first structures with the
 * same media type and matching features, else the first with the same media type, else the
 * first of each. Within the pair the first field of `a` that cannot agree is named.
 */
export function explainMismatch(a: Caps, b: Caps): string {
  if (a.isEmpty() || b.isEmpty()) return 'caps are EMPTY';
  const pair = pickPair(a.structures, b.structures);
  if (pair === undefined) return 'caps intersect';
  const [sa, sb] = pair;
  if (sa.name !== sb.name) return `media type ${sa.name} != ${sb.name}`;
  if (!featuresMatch(sa.features, sb.features)) return `features ${features(sa.features)} != ${features(sb.features)}`;
  const field = firstConflict(sa, sb);
  if (field === undefined) return 'caps intersect';
  return `${field} ${explainValues(sa.get(field) as CapsValue, sb.get(field) as CapsValue)}`;
}

/** Why two values of one field do not intersect, e.g. `8000 not in [16000, 48000]`. */
function explainValues(v: CapsValue, w: CapsValue): string {
  const [tv, tw] = [typeName(v), typeName(w)];
  if (tv !== undefined && tw !== undefined && tv !== tw) {
    return `${formatValue(v)} and ${formatValue(w)} have different types`;
  }
  const [cv, cw] = [formatValue(v, 'compact'), formatValue(w, 'compact')];
  const [fv, fw] = [isFixedValue(v), isFixedValue(w)];
  if (fv && fw) return `${cv} != ${cw}`;
  if (fv) return `${cv} not in ${cw}`;
  if (fw) return `${cw} not in ${cv}`;
  return `${cv} does not intersect ${cw}`;
}

function pickPair(as: readonly Structure[], bs: readonly Structure[]): [Structure, Structure] | undefined {
  for (const strict of [true, false]) {
    for (const sa of as) {
      const sb = bs.find((s) => s.name === sa.name && (!strict || featuresMatch(s.features, sa.features)));
      if (sb !== undefined) return [sa, sb];
    }
  }
  const [sa, sb] = [as[0], bs[0]];
  return sa === undefined || sb === undefined ? undefined : [sa, sb];
}

function features(f: CapsFeatures | undefined): string {
  return `(${(f ?? [SYSTEM_MEMORY]).join(', ')})`;
}
