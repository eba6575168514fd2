export { Source, type Produced } from './source.js';
export { Sink, SINK_PROPERTIES } from './sink.js';
export { Transform } from './transform.js';
export { Aggregator } from './aggregator.js';
