import type { ElementMetadata } from '../../element/metadata.js';
import { ValueModuleStage } from './value-module-stage.js';

/** ValueModuleStage's metadata without what lets placement put it on a data thread. */
function loopOnly(m: ElementMetadata): ElementMetadata {
  const { dataThread: _dataThread, ...rest } = m;
  return { ...rest, factory: 'valuemoduleloop', description: 'Run a module function over value batches on the event loop', affinity: 'async' };
}

/**
 * Filter/Typed. A module stage made with `{ thread: false }` (`flow.map(fn, { thread: false })`):
 * the same work as ValueModuleStage, but on the event loop in every scheduling mode (affinity
 * async, no `dataThread`), so placement leaves it there and its batches keep passing by reference,
 * even when another stage of the flow puts the pipeline in `hybrid` or the caller asks for
 * `realtime`. Not registered (it never goes to a thread, so no thread needs to import it).
 *
 * Event loop.
 */
export class ValueLoopModuleStage extends ValueModuleStage {
  static override readonly metadata: ElementMetadata = loopOnly(ValueModuleStage.metadata);
}
