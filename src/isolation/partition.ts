import type { Element } from '../element/element.js';
import type { Pad } from '../element/pad.js';
import { ParallaxError } from '../errors.js';

/**
 * Which process each element runs in (ARCHITECTURE §9): the supervisor (the application's own
 * process) or an element host, a sandboxed process of its own.
 * - `in-process` (the default): every element in the supervisor.
 * - `isolated`: every element in a process of its own.
 * - `grouped`: the elements that `isolate` patterns match each get a process; `groups` put named
 *   elements together in one process (a decoder and its parser, say). The rest stay.
 *
 * Planning only: it decides and explains, and the isolation runtime carries it out. Pure, so the
 * same graph always gives the same plan.
 */
export type IsolationMode = 'in-process' | 'isolated' | 'grouped';

export interface IsolationOptions {
  readonly mode?: IsolationMode;
  /** Glob patterns (`*`, `?`) over element names and factory names: `'*dec*'`, `'untrusted*'`. */
  readonly isolate?: readonly string[];
  /** Element names that share one process each: `[['parse0', 'dec0'], ['untrusted0']]`. */
  readonly groups?: readonly (readonly string[])[];
}

/** The supervisor's process number in a plan. */
export const SUPERVISOR = -1;

/** A link whose two ends are in different processes: it becomes a cross-process ring. */
export interface ProcessCut {
  readonly from: Pad;
  readonly to: Pad;
  readonly fromProcess: number;
  readonly toProcess: number;
}

export interface IsolationPlan {
  readonly mode: IsolationMode;
  /** Process number per element: SUPERVISOR, or 0..processCount-1 for element hosts. */
  readonly processOf: ReadonlyMap<Element, number>;
  readonly processCount: number;
  /** The elements of each element host, in pipeline order. */
  readonly processes: readonly (readonly Element[])[];
  readonly cuts: readonly ProcessCut[];
  /** Why each host exists, for `-v`: "untrusted0: matches isolate pattern untrusted*". */
  readonly notes: readonly string[];
}

const MODES: readonly IsolationMode[] = ['in-process', 'isolated', 'grouped'];

export function planIsolation(elements: readonly Element[], options: IsolationOptions = {}): IsolationPlan {
  const mode = options.mode ?? (options.isolate !== undefined || options.groups !== undefined ? 'grouped' : 'in-process');
  if (!MODES.includes(mode)) throw bad(`unknown isolation mode "${String(mode)}": use ${MODES.join(', ')}`);
  if (mode !== 'grouped' && (options.isolate !== undefined || options.groups !== undefined)) {
    throw bad(`isolate patterns and groups need mode "grouped", not "${mode}"`);
  }
  const processOf = new Map<Element, number>();
  const processes: Element[][] = [];
  const notes: string[] = [];
  const host = (members: Element[], why: string): void => {
    for (const el of members) processOf.set(el, processes.length);
    processes.push(members);
    notes.push(`process ${processes.length - 1} (${members.map((e) => e.name).join(', ')}): ${why}`);
  };

  if (mode === 'isolated') {
    for (const el of elements) host([el], 'isolated mode: every element in its own process');
  } else if (mode === 'grouped') {
    const byName = new Map(elements.map((el) => [el.name, el] as const));
    const names = elements.map((el) => el.name).join(', ');
    for (const [i, group] of (options.groups ?? []).entries()) {
      if (group.length === 0) throw bad(`isolation group ${i} is empty`);
      const members = group.map((name) => {
        const el = byName.get(name);
        if (el === undefined) throw bad(`isolation group ${i} names "${name}", which is not an element of this pipeline (elements: ${names})`);
        if (processOf.has(el)) throw bad(`element "${name}" is in two isolation groups (${processOf.get(el)} and ${i})`);
        return el;
      });
      if (new Set(members).size !== members.length) throw bad(`isolation group ${i} names an element twice`);
      host(members, `isolation group ${i}`);
    }
    for (const pattern of options.isolate ?? []) {
      const re = globToRegExp(pattern);
      const matched = elements.filter((el) => re.test(el.name) || re.test(el.factory));
      if (matched.length === 0) throw bad(`isolate pattern "${pattern}" matches no element (elements: ${names})`);
      for (const el of matched) if (!processOf.has(el)) host([el], `matches isolate pattern ${pattern}`);
    }
  }
  for (const el of elements) if (!processOf.has(el)) processOf.set(el, SUPERVISOR);

  const cuts: ProcessCut[] = [];
  for (const el of elements) {
    for (const pad of el.srcPads) {
      const peer = pad.peer;
      if (peer === null) continue;
      const fromProcess = processOf.get(el)!;
      const toProcess = processOf.get(peer.element) ?? SUPERVISOR;
      if (fromProcess !== toProcess) cuts.push({ from: pad, to: peer, fromProcess, toProcess });
    }
  }
  return { mode, processOf, processCount: processes.length, processes, cuts, notes };
}

/** `*` any run of characters, `?` one character, everything else literal; the whole name. */
export function globToRegExp(pattern: string): RegExp {
  if (pattern === '') throw bad('an empty isolate pattern matches nothing');
  const body = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${body}$`);
}

function bad(message: string): ParallaxError {
  return new ParallaxError('BAD_PROPERTY_VALUE', message);
}
