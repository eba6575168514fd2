import type { ValueCodec } from './codec.js';
import type { ModuleFunction } from './module-function.js';
import type { BatchOperator } from './operators.js';
import type { JoinOptions } from './elements/value-join.js';
import type { ValueInput } from './elements/value-source.js';

/**
 * The description a `Flow` holds: a tree of nodes from the sink back to its sources, built by the
 * typed methods and turned into engine elements only when the flow is run (`materialize`). Nodes
 * are immutable, so a flow value can be extended in two directions without either seeing the other.
 */
export type FlowNode =
  | { readonly kind: 'source'; readonly input: ValueInput<unknown>; readonly chunk: number; readonly name?: string }
  | { readonly kind: 'stage'; readonly op: string; readonly from: FlowNode; readonly operator: () => BatchOperator; readonly name?: string }
  | { readonly kind: 'module'; readonly op: 'map' | 'filter' | 'tap'; readonly from: FlowNode; readonly fn: ModuleFunction<unknown, unknown>; readonly thread: boolean; readonly codec: ValueCodec; readonly name?: string }
  | { readonly kind: 'merge'; readonly from: readonly FlowNode[]; readonly name?: string }
  | { readonly kind: 'zip'; readonly a: FlowNode; readonly b: FlowNode; readonly name?: string }
  | { readonly kind: 'join'; readonly a: FlowNode; readonly b: FlowNode; readonly options: JoinOptions<unknown, unknown>; readonly name?: string };
