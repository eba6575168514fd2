import { ParallaxError } from '../../errors.js';

/**
 * The `location` of multifilesrc and multifilesink: a path with one printf-style integer
 * conversion (`frame-%05d.raw`), as GStreamer passes it to g_strdup_printf with the file index.
 *
 * Accepted: `%d`, `%i` or `%u`, with an optional `0` flag and a width (`%05d`, `%3d`), and `%%` for
 * a literal percent sign. A path with no conversion is accepted as GStreamer does: every index
 * names the same file (multifilesrc repeats a still image, multifilesink keeps the last buffer).
 * Anything else (two conversions, `%s`, `%x`, a dangling `%`) is refused when the element starts,
 * with a message naming the element, the property and the character position, since a bad pattern
 * would otherwise write or read the wrong files.
 *
 * Any thread; `format` allocates one string per call (once per file, not per byte).
 */
export interface LocationPattern {
  /** The path for file `index`. */
  format(index: number): string;
}

const CONVERSION = /%(0?)(\d*)([diu])/y;

/** Parses `pattern` or throws a ParallaxError naming `element` and `property`. */
export function parseLocationPattern(pattern: unknown, element: string, property = 'location'): LocationPattern {
  if (typeof pattern !== 'string' || pattern === '') {
    throw new ParallaxError('ELEMENT_ERROR', `${element}: the "${property}" property is not set (expected a pattern such as frame-%05d.raw)`);
  }
  const bad = (what: string, at: number): never => {
    throw new ParallaxError('ELEMENT_ERROR', `${element}: bad "${property}" pattern "${pattern}": ${what} at character ${at} (expected one %d, %05d or similar; write %% for a literal %)`);
  };
  let prefix = '';
  let suffix = '';
  let zero = false;
  let width = 0;
  let seen = false;
  for (let i = 0; i < pattern.length;) {
    const c = pattern[i]!;
    if (c !== '%') {
      if (seen) suffix += c;
      else prefix += c;
      i++;
      continue;
    }
    if (pattern[i + 1] === '%') {
      if (seen) suffix += '%';
      else prefix += '%';
      i += 2;
      continue;
    }
    CONVERSION.lastIndex = i;
    const m = CONVERSION.exec(pattern);
    if (m === null) bad(`"${pattern.slice(i, i + 2)}" is not an integer conversion`, i);
    if (seen) bad('a second conversion', i);
    seen = true;
    zero = m![1] === '0';
    width = m![2] === '' ? 0 : Number(m![2]);
    if (width > 64) bad(`width ${width} is too large`, i);
    i = CONVERSION.lastIndex;
  }
  if (!seen) return { format: () => prefix };
  return {
    format(index: number): string {
      const digits = String(Math.abs(index));
      const sign = index < 0 ? '-' : '';
      const padded = zero
        ? sign + digits.padStart(width - sign.length, '0')
        : (sign + digits).padStart(width, ' ');
      return prefix + padded + suffix;
    },
  };
}
