import { ParallaxError } from '../../errors.js';
import { isAnyFeatures } from './features.js';
import { simplifyStructures } from './simplify.js';
import type { Structure } from './structure.js';
import { canIntersectStructures, fixateStructure, intersectStructures, isCoveredBy, isStructureSubset } from './structure-ops.js';
import type { FixateTargets } from './structure-ops.js';

/**
 * Caps: the set of media formats a pad can handle, as GstCaps. Either ANY (every format), EMPTY
 * (none), or a list of structures, each one format family, in order of preference:
 * `video/x-raw, format=I420; video/x-raw, format=NV12`.
 *
 * Negotiation intersects what both sides of a link allow and fixates the result to one format.
 * Negotiated caps are almost always fixed (one structure, every field one value), so the fixed
 * checks are cached and the operations return `this` when nothing changes.
 *
 * Immutable; safe to share between pads and pipelines.
 */
export class Caps {
  /** Every format. Intersecting with ANY changes nothing. */
  static readonly ANY: Caps = new Caps([], true);
  /** No format: the result of a failed intersection. */
  static readonly EMPTY: Caps = new Caps([], false);

  /** The structures, in order of preference; empty for ANY and EMPTY. */
  readonly structures: readonly Structure[];
  private readonly any: boolean;
  private fixed: boolean | undefined;
  private text: string | undefined;

  private constructor(structures: readonly Structure[], any: boolean) {
    this.structures = structures;
    this.any = any;
  }

  /** Caps of the given structures, in order of preference; EMPTY when none are given. */
  static of(...structures: Structure[]): Caps {
    return structures.length === 0 ? Caps.EMPTY : new Caps(structures, false);
  }

  /** Whether these are the ANY caps (every format). */
  isAny(): boolean {
    return this.any;
  }

  /** Whether no format is allowed. */
  isEmpty(): boolean {
    return !this.any && this.structures.length === 0;
  }

  /** Whether these caps name exactly one format: one structure with every field fixed. Cached. */
  isFixed(): boolean {
    if (this.fixed === undefined) {
      const only = this.structures.length === 1 ? this.structures[0] : undefined;
      this.fixed = only !== undefined && only.isFixed() && !isAnyFeatures(only.features);
    }
    return this.fixed;
  }

  /**
   * The formats allowed by both, in the preference order of `this` (gst's
   * GST_CAPS_INTERSECT_FIRST): each structure of `this` intersected with each of `other`.
   * ANY ∩ X is X; a result with no structures is EMPTY. A structure already covered by an
   * earlier one in the result is left out, as gst_caps_merge_structure does.
   */
  intersect(other: Caps): Caps {
    if (this === other || other.any) return this;
    if (this.any) return other;
    if (this.isEmpty() || other.isEmpty()) return Caps.EMPTY;
    // Fast path for negotiated caps meeting the same negotiated caps.
    if (this.isFixed() && other.isFixed() && (this.structures[0] as Structure).equals(other.structures[0] as Structure)) return this;
    const out: Structure[] = [];
    for (const a of this.structures) {
      for (const b of other.structures) {
        const s = intersectStructures(a, b);
        if (s !== undefined && !out.some((seen) => isStructureSubset(s, seen))) out.push(s);
      }
    }
    return Caps.of(...out);
  }

  /** Whether any format is allowed by both; cheaper than `intersect` as it stops at the first. */
  canIntersect(other: Caps): boolean {
    if (this.isEmpty() || other.isEmpty()) return false;
    if (this.any || other.any) return true;
    return this.structures.some((a) => other.structures.some((b) => canIntersectStructures(a, b)));
  }

  /**
   * Whether every format of `this` is also a format of `other`. EMPTY is a subset of anything;
   * everything is a subset of ANY; ANY is only a subset of ANY. A structure may be covered by
   * several structures of `other` together when it has a list field (see isCoveredBy).
   */
  isSubsetOf(other: Caps): boolean {
    if (other.any || this.isEmpty()) return true;
    if (this.any) return false;
    return this.structures.every((a) => isCoveredBy(a, other.structures));
  }

  /**
   * One format out of these caps: the first structure, each field fixated (a range to its
   * minimum, a list to its first item), or towards `targets[field]` when given.
   * Throws ParallaxError('NOT_NEGOTIATED') for ANY and EMPTY, which have nothing to pick from.
   */
  fixate(targets?: FixateTargets): Caps {
    if (this.isFixed()) return this;
    const first = this.structures[0];
    if (first === undefined) {
      throw new ParallaxError('NOT_NEGOTIATED', `cannot fixate ${this.any ? 'ANY' : 'EMPTY'} caps`);
    }
    return new Caps([fixateStructure(first, targets)], false);
  }

  /** The same formats in fewer structures; see simplifyStructures. Keeps the preference order. */
  simplify(): Caps {
    if (this.structures.length < 2) return this;
    const kept = simplifyStructures(this.structures);
    return kept.length === this.structures.length && kept.every((s, i) => s === this.structures[i]) ? this : Caps.of(...kept);
  }

  /** Whether both describe the same set of formats, however written (each is a subset of the other). */
  equals(other: Caps): boolean {
    if (this === other) return true;
    if (this.any || other.any) return this.any === other.any;
    if (this.isFixed() && other.isFixed()) return (this.structures[0] as Structure).equals(other.structures[0] as Structure);
    return this.isSubsetOf(other) && other.isSubsetOf(this);
  }

  /** Whether both have equal structures in the same order (gst_caps_is_strictly_equal). */
  isStrictlyEqual(other: Caps): boolean {
    if (this.any || other.any) return this.any === other.any;
    return this.structures.length === other.structures.length
      && this.structures.every((s, i) => s.equals(other.structures[i] as Structure));
  }

  /** GStreamer syntax, which {@link parseCaps} reads back: `ANY`, `EMPTY`, or structures joined by `; `. Cached. */
  toString(): string {
    this.text ??= this.any ? 'ANY' : this.structures.length === 0 ? 'EMPTY' : this.structures.join('; ');
    return this.text;
  }
}
