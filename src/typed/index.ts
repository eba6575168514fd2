export { Flow, Stage, TypedPipeline, from, stage } from './flow.js';
export type { FlowRunOptions, FromOptions, ItemOf, ModuleStageOptions, StageOptions } from './flow.js';
export { moduleFunction, type ModuleFunction } from './module-function.js';
export type { ValueCodec } from './codec.js';
export type { FlowTarget } from './targets.js';
export type { JoinOptions } from './elements/value-join.js';
export type { ValueInput } from './elements/value-source.js';
export type { ValueConsumer } from './elements/value-sink.js';
export { VALUE_CAPS_TEXT } from './value-batch.js';
