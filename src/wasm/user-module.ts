import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { ParallaxError } from '../errors.js';
import { kernelImports, KernelTrap } from './kernel-host.js';
import { readKernelString } from './kernel-string.js';
import { scanModule, WasmFormatError, type ModuleScan } from './module-scan.js';
import { fnv1a, FNV_ALT_BASIS, FNV_OFFSET_BASIS } from './fnv1a.js';
import { ALLOWED_IMPORTS, COMMON_EXPORTS, KIND_EXPORT, STATE_MAX, USER_ABI_VERSION } from './user-abi.js';
import { DescriptorError, parseDescriptor, type KernelDescriptor } from './user-descriptor.js';

/**
 * Loading a user kernel module (doc/design/006, "The user kernel ABI, version 1"): the binary
 * is compiled and checked once per path per thread — its imports, its exports for its kind, its
 * ABI version and its descriptor, read from a probe instance over a scratch memory — before any
 * element runs it. Every error names the file and what is wrong with it.
 *
 * Any thread; the cache is per thread (each worker has its own module map).
 */

/** A module that cannot be used: it is not WebAssembly, or it does not meet the ABI. */
export class KernelModuleError extends ParallaxError {
  constructor(readonly path: string, message: string, options?: { cause?: unknown }) {
    super('PLUGIN_ERROR', `kernel module ${path}: ${message}`, options);
  }
}

/** Where a module's active data segments write, and a fingerprint of what they write. */
export interface ModuleData {
  readonly start: number;
  readonly end: number;
  readonly hashLo: number;
  readonly hashHi: number;
  /** Whether every segment has a constant address (AssemblyScript's always do). */
  readonly placed: boolean;
}

export interface UserModule {
  /** Absolute path of the .wasm file. */
  readonly path: string;
  readonly module: WebAssembly.Module;
  readonly scan: ModuleScan;
  readonly descriptor: KernelDescriptor;
  /** Bytes of per-instance state (`pxl_state_size`, as the probe returned it). */
  readonly stateSize: number;
  readonly exports: ReadonlySet<string>;
  /** The name of an exported memory, for a module that defines its own; null otherwise. */
  readonly memoryExport: string | null;
  /** Null when the module has no active data segments. */
  readonly data: ModuleData | null;
}

const PAGE = 65536;
const cache = new Map<string, { mtimeMs: number; size: number; mod: UserModule }>();

/** The module at `path` (relative to the working directory), compiled and checked once per thread. */
export function loadUserModule(path: string): UserModule {
  const abs = resolve(path);
  let stat;
  try {
    stat = statSync(abs);
  } catch (e) {
    const code = (e as { code?: string }).code;
    throw new KernelModuleError(path, code === 'ENOENT' ? `no such file (looked for ${abs}); build one with parallax-wasm build` : `cannot read it: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  }
  const hit = cache.get(abs);
  if (hit !== undefined && hit.mtimeMs === stat.mtimeMs && hit.size === stat.size) return hit.mod;
  const mod = checkUserModule(new Uint8Array(readFileSync(abs)), abs);
  cache.set(abs, { mtimeMs: stat.mtimeMs, size: stat.size, mod });
  return mod;
}

/** Compiles and checks a module's bytes; `path` is for messages. Not cached. */
export function checkUserModule(bytes: Uint8Array, path: string): UserModule {
  let module: WebAssembly.Module;
  try {
    module = new WebAssembly.Module(bytes);
  } catch (e) {
    throw new KernelModuleError(path, `not a valid WebAssembly module: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  }
  let scan: ModuleScan;
  try {
    scan = scanModule(bytes);
  } catch (e) {
    if (e instanceof WasmFormatError) throw new KernelModuleError(path, e.message, { cause: e });
    throw e;
  }
  checkImports(module, scan, path);
  const exports = new Set(WebAssembly.Module.exports(module).filter((x) => x.kind === 'function').map((x) => x.name));
  const memoryExport = WebAssembly.Module.exports(module).find((x) => x.kind === 'memory')?.name ?? null;
  if (scan.memoryImport === null && memoryExport === null) {
    throw new KernelModuleError(path, 'it neither imports env.memory nor exports a memory of its own, so the engine cannot pass it data (build it with parallax-wasm build)');
  }
  const probe = probeModule(module, scan, memoryExport, exports, path);
  const missing: string[] = COMMON_EXPORTS.filter((name) => !exports.has(name));
  if (probe.descriptor === null) {
    throw new KernelModuleError(path, `missing exports: ${missing.join(', ')}, and pxl_process, pxl_fill or pxl_consume for its kind`);
  }
  const work = KIND_EXPORT[probe.descriptor.kind];
  if (!exports.has(work)) missing.push(work);
  if (missing.length > 0) throw new KernelModuleError(path, `missing exports for a ${probe.descriptor.kind}: ${missing.join(', ')}`);
  return { path, module, scan, descriptor: probe.descriptor, stateSize: probe.stateSize, exports, memoryExport, data: moduleData(scan) };
}

function checkImports(module: WebAssembly.Module, scan: ModuleScan, path: string): void {
  const refused = WebAssembly.Module.imports(module).map((i) => `${i.module}.${i.name}`).filter((n) => !ALLOWED_IMPORTS.has(n));
  if (refused.length > 0) {
    throw new KernelModuleError(path, `imports ${refused.join(', ')}, which kernels may not use (allowed: ${[...ALLOWED_IMPORTS].join(', ')})`);
  }
  for (const i of WebAssembly.Module.imports(module)) {
    const want = i.name === 'memory' ? 'memory' : 'function';
    if (i.kind !== want) throw new KernelModuleError(path, `imports ${i.module}.${i.name} as a ${i.kind}; it must be a ${want}`);
  }
  if (scan.memoryImport !== null && (scan.memoryImport.module !== 'env' || scan.memoryImport.name !== 'memory')) {
    throw new KernelModuleError(path, `imports its memory as ${scan.memoryImport.module}.${scan.memoryImport.name}; it must be env.memory`);
  }
  if (scan.memoryImport?.memory64 === true) throw new KernelModuleError(path, 'imports a 64-bit memory; kernels address a 32-bit one');
}

/** Where the active segments end: the first byte past the module's constant data (0 when none). */
export function dataEnd(scan: ModuleScan): number {
  let end = 0;
  for (const s of scan.dataSegments) if (s.address >= 0) end = Math.max(end, s.address + s.bytes.length);
  return end;
}

function moduleData(scan: ModuleScan): ModuleData | null {
  const active = scan.dataSegments.filter((s) => s.address >= 0 && s.bytes.length > 0);
  const placed = !scan.dataSegments.some((s) => s.address < 0);
  if (active.length === 0) return placed ? null : { start: 0, end: 0, hashLo: 0, hashHi: 0, placed };
  let lo = FNV_OFFSET_BASIS;
  let hi = FNV_ALT_BASIS;
  const at = new Uint8Array(4);
  for (const s of active) {
    new DataView(at.buffer).setUint32(0, s.address, true);
    lo = fnv1a(s.bytes, fnv1a(at, lo));
    hi = fnv1a(s.bytes, fnv1a(at, hi));
  }
  return { start: Math.min(...active.map((s) => s.address)), end: dataEnd(scan), hashLo: lo, hashHi: hi, placed };
}

/**
 * A memory that satisfies the module's env.memory import and holds `bytes`: shared or not as the
 * import says, within its limits. Throws a RangeError when the import's maximum is too small.
 */
export function memoryFor(scan: ModuleScan, bytes: number, maxPages?: number): WebAssembly.Memory {
  const imp = scan.memoryImport!;
  const pages = Math.max(imp.minimum, Math.ceil(bytes / PAGE), 1);
  if (imp.maximum !== undefined && pages > imp.maximum) throw new RangeError(`its memory may grow to ${imp.maximum} pages, and it needs ${pages}`);
  const cap = imp.maximum === undefined ? maxPages : Math.min(imp.maximum, maxPages ?? imp.maximum);
  const maximum = cap === undefined ? undefined : Math.max(pages, cap);
  if (imp.shared) return new WebAssembly.Memory({ initial: pages, maximum: maximum ?? pages, shared: true });
  return new WebAssembly.Memory(maximum === undefined ? { initial: pages } : { initial: pages, maximum });
}

/** Instantiates the module over scratch memory to ask its ABI version, descriptor and state size. */
function probeModule(module: WebAssembly.Module, scan: ModuleScan, memoryExport: string | null, exports: ReadonlySet<string>, path: string): { descriptor: KernelDescriptor | null; stateSize: number } {
  let memory: WebAssembly.Memory | null = null;
  let own: WebAssembly.Memory | null = null;
  let instance: WebAssembly.Instance;
  try {
    if (scan.memoryImport !== null) memory = memoryFor(scan, dataEnd(scan));
    instance = new WebAssembly.Instance(module, { env: kernelImports(memory ?? (() => own)) });
  } catch (e) {
    throw new KernelModuleError(path, `cannot be instantiated: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  }
  if (memoryExport !== null) own = instance.exports[memoryExport] as WebAssembly.Memory;
  memory ??= own;
  const call = (name: string): number => {
    try {
      return (instance.exports[name] as () => number)();
    } catch (e) {
      const what = e instanceof KernelTrap || e instanceof WebAssembly.RuntimeError ? 'trapped' : 'failed';
      throw new KernelModuleError(path, `${name} ${what}: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
    }
  };
  if (exports.has('pxl_abi_version')) {
    const version = call('pxl_abi_version');
    if (version !== USER_ABI_VERSION) {
      throw new KernelModuleError(path, `speaks kernel ABI version ${version}, and this engine speaks version ${USER_ABI_VERSION} (rebuild it against this SDK)`);
    }
  }
  if (!exports.has('pxl_describe')) return { descriptor: null, stateSize: 0 };
  const text = readKernelString(memory!.buffer, call('pxl_describe') >>> 0);
  let descriptor: KernelDescriptor;
  try {
    descriptor = parseDescriptor(text);
  } catch (e) {
    if (e instanceof DescriptorError) throw new KernelModuleError(path, `bad descriptor from pxl_describe: ${e.message}`, { cause: e });
    throw e;
  }
  let stateSize = 0;
  if (exports.has('pxl_state_size')) {
    stateSize = call('pxl_state_size');
    if (!Number.isInteger(stateSize) || stateSize < 0 || stateSize > STATE_MAX) {
      throw new KernelModuleError(path, `pxl_state_size returned ${stateSize}; it must be 0..${STATE_MAX} bytes`);
    }
  }
  return { descriptor, stateSize };
}
