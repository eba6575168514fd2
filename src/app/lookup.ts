import { ParallaxError } from '../errors.js';
import type { Element } from '../element/element.js';
import { AppSink } from '../elements/app/appsink.js';
import { AppSrc } from '../elements/app/appsrc.js';
import type { Pipeline } from '../exec/pipeline.js';

/** The appsink named `name` in `pipeline`; throws UNKNOWN_ELEMENT naming what is there instead. */
export function appSinkNamed(pipeline: Pipeline, name: string): AppSink {
  return named(pipeline, name, AppSink, 'appsink');
}

/** The appsrc named `name` in `pipeline`; throws UNKNOWN_ELEMENT naming what is there instead. */
export function appSrcNamed(pipeline: Pipeline, name: string): AppSrc {
  return named(pipeline, name, AppSrc, 'appsrc');
}

function named<T extends Element>(pipeline: Pipeline, name: string, kind: abstract new (...args: never[]) => T, factory: string): T {
  const el = pipeline.get(name);
  if (el === undefined) throw new ParallaxError('UNKNOWN_ELEMENT', `${pipeline.name} has no element named ${name} (a stream needs an ${factory} there)`);
  if (!(el instanceof kind)) throw new ParallaxError('UNKNOWN_ELEMENT', `${name} is a ${el.metadata.factory}, not an ${factory}: only an ${factory} can be turned into a stream`);
  return el;
}
