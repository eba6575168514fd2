import { Caps, parseCaps } from './caps/index.js';

export type PadDirection = 'src' | 'sink';
/** always: exists from creation; sometimes: appears while running (demuxers); request: made on demand (tee). */
export type PadPresence = 'always' | 'sometimes' | 'request';

export interface PadTemplateSpec {
  /** A name, or a pattern with `%u` / `%d` / `%s` for request and sometimes pads ("src_%u"). */
  readonly name: string;
  readonly direction: PadDirection;
  readonly presence: PadPresence;
  /** Caps in GStreamer syntax, or parsed caps. "ANY" when omitted. */
  readonly caps?: string | Caps;
}

/** A pad template with its caps parsed once. */
export class PadTemplate {
  readonly name: string;
  readonly direction: PadDirection;
  readonly presence: PadPresence;
  readonly caps: Caps;
  private readonly pattern: RegExp | undefined;

  constructor(spec: PadTemplateSpec) {
    this.name = spec.name;
    this.direction = spec.direction;
    this.presence = spec.presence;
    this.caps = spec.caps === undefined ? Caps.ANY : typeof spec.caps === 'string' ? parseCaps(spec.caps) : spec.caps;
    this.pattern = /%[uds]/.test(spec.name)
      ? new RegExp(`^${spec.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/%u|%d/g, '\\d+').replace(/%s/g, '.+')}$`)
      : undefined;
  }

  get isPattern(): boolean { return this.pattern !== undefined; }

  /** Whether a concrete pad name ("src_3") or the template name itself ("src_%u") fits this template. */
  matches(padName: string): boolean {
    return padName === this.name || (this.pattern?.test(padName) ?? false);
  }

  /** The concrete name for index `n` ("src_%u" → "src_2"). */
  nameFor(n: number): string {
    return this.name.replace(/%[ud]/, String(n)).replace(/%s/, String(n));
  }
}
