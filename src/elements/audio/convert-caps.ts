import { Caps, CapsValue, type Structure } from '../../element/caps/index.js';
import { AUDIO_FORMATS, MAX_AUDIO_CHANNELS } from './format.js';

/**
 * audioconvert's side of negotiation, after gst_audio_convert_transform_caps and _fixate_caps:
 * format and channels may change across the element, rate and layout pass through.
 *
 * Event loop (negotiation); allocates caps.
 */

/**
 * What the other side of audioconvert can be, given `caps` on one side: each audio/x-raw
 * structure with `format` opened to every format the kernels convert (the given ones first, so
 * they stay preferred) and `channels` to 1..64; `channel-mask` is dropped, everything else
 * (rate, layout) is kept. ANY and EMPTY come back as they are.
 */
export function convertibleCaps(caps: Caps): Caps {
  if (caps.isAny() || caps.isEmpty()) return caps;
  return Caps.of(...caps.structures.map((s) => (s.name === 'audio/x-raw' ? opened(s) : s))).simplify();
}

function opened(s: Structure): Structure {
  const given = stringsOf(s.get('format')).filter((f) => (AUDIO_FORMATS as readonly string[]).includes(f));
  const formats = [...given, ...AUDIO_FORMATS.filter((f) => !given.includes(f))];
  return s.without('channel-mask')
    .with('format', CapsValue.list(...formats.map((f) => CapsValue.string(f))))
    .with('channels', CapsValue.intRange(1, MAX_AUDIO_CHANNELS));
}

function stringsOf(v: CapsValue | undefined): string[] {
  if (v === undefined) return [];
  if (v.kind === 'string') return [v.value];
  if (v.kind === 'list') return v.items.flatMap(stringsOf);
  return [];
}

/**
 * Fixates `caps` (what one side may be) as close as it can to `other` (the fixed caps of the
 * other side): the same format when allowed, the nearest channel count and rate. So equal caps
 * on both sides, and with them pass-through, are chosen whenever downstream allows it.
 */
export function fixateTowards(caps: Caps, other: Caps | null): Caps {
  const like = other?.structures[0];
  const first = caps.structures[0];
  if (like === undefined || first === undefined) return caps.fixate();
  const format = like.getString('format');
  const allowed = first.get('format');
  const preferred = format !== undefined && allowed !== undefined && allowed.kind === 'list' && stringsOf(allowed).includes(format)
    ? Caps.of(first.with('format', CapsValue.string(format)), ...caps.structures.slice(1))
    : caps;
  const targets: Record<string, number> = {};
  const channels = like.getInt('channels');
  if (channels !== undefined) targets['channels'] = channels;
  const rate = like.getInt('rate');
  if (rate !== undefined) targets['rate'] = rate;
  return preferred.fixate(targets);
}
