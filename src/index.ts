/**
 * Parallax: a streaming pipeline engine for JavaScript runtimes.
 *
 * ```ts
 * import { launch } from 'parallax';
 * await launch('fakesrc num-buffers=10 ! identity ! fakesink').run();
 * ```
 */
import { buildLaunch } from './graph/build.js';
import type { Pipeline, PipelineOptions } from './exec/pipeline.js';
import { defaultRegistry } from './registry/builtins.js';
import type { Registry } from './registry/registry.js';

export { ParallaxError, type ErrorCode } from './errors.js';
export { Pipeline, type PipelineOptions, type RunOptions, type PipelineStats, type PadStats, type LinkStats } from './exec/pipeline.js';
export * from './app/index.js';
export { Bus } from './exec/bus.js';
export { MonotonicClock } from './exec/clock.js';
export { Element, type ElementClass } from './element/element.js';
export { Buffer, BufferFlags } from './element/buffer.js';
export { leakedBuffers } from './element/buffer-leaks.js';
export { FlowResult, flowName } from './element/flow.js';
export { Events, type Event, type Segment, isSerialized, isSticky } from './element/event.js';
export { Pad } from './element/pad.js';
export { PadTemplate, type PadTemplateSpec, type PadDirection, type PadPresence } from './element/pad-template.js';
export type { PropertySpec, PropertySchema, PropertyValue, Fraction } from './element/property.js';
export type { ElementMetadata, Affinity } from './element/metadata.js';
export type { ElementContext } from './element/context.js';
export type { Clock } from './element/clock.js';
export type { BusMessage, BusMessageType, PipelineState } from './element/message.js';
export { Source, Sink, Transform, Aggregator, SINK_PROPERTIES } from './element/base/index.js';
export * from './element/caps/index.js';
export { linkPads, pickPad } from './graph/link.js';
export { LaunchError } from './graph/launch-error.js';
export { parseLaunch, LaunchSyntaxError, formatCaret } from './graph/parse/index.js';
export { Registry, type RegistryEntry, type Plugin, type UriHandler } from './registry/registry.js';
export { defaultRegistry, createDefaultRegistry } from './registry/builtins.js';
export { Harness, type HarnessOptions } from './harness/harness.js';
export { FakeClock } from './harness/fake-clock.js';
export * from './memory/index.js';
export { parseDriver, type DriverSpec } from './exec/driver.js';
export { planPlacement, threadEligibility, type SchedulingMode, type Plan, type PlannedLink } from './exec/threads/placement.js';
export { toDot } from './graph/dot.js';
export { queryLatency, type Latency } from './graph/latency.js';
export * from './elements/index.js';
export { buildKernel, defaultMemoryBase, KernelBuildError, type BuildKernelOptions, type BuiltKernel } from './wasm/build-kernel.js';
export { loadUserModule, KernelModuleError, type UserModule } from './wasm/user-module.js';
export type { KernelDescriptor, KernelProperty } from './wasm/user-descriptor.js';
export { KernelHost, KernelTrap, builtinLoadError, type BuiltinKernels } from './wasm/kernel-host.js';
export { MemfdRegion } from './isolation/memfd-region.js';
export { loadNative, IsolationUnavailableError, type NativeHelper, type NativeLoad } from './isolation/native.js';
export * as processLink from './isolation/link/index.js';
export { MemfdAllocator, ProcessBridgeSink, ProcessBridgeSource, createProcessLink, type LinkEndpoint, type ProcessLink, type ProcessBridgeOptions } from './isolation/link/index.js';
export { pipelineMetrics } from './metrics/prometheus.js';
export * from './typed/index.js';
export { serveMetrics, type ServeMetricsOptions, type MetricsServer } from './metrics/serve.js';

/** Builds a pipeline from a gst-launch style string, with the default registry unless given one. */
export function launch(description: string, options: { registry?: Registry; name?: string } & PipelineOptions = {}): Pipeline {
  const { registry, ...rest } = options;
  return buildLaunch(description, registry ?? defaultRegistry(), rest);
}
