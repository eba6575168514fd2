import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { KERNEL_DATA_END, USER_DATA_START, USER_WINDOW_BYTES } from '../memory/arena.js';
import { fnv1aText } from './fnv1a.js';
import { scanModule } from './module-scan.js';
import { checkUserModule, dataEnd, KernelModuleError, type UserModule } from './user-module.js';

/**
 * `parallax-wasm build`: compiles an AssemblyScript kernel into a module the engine can run in
 * place (doc/design/006). asc runs in this process with the engine's flags — stub runtime,
 * shared imported memory, SIMD and threads, -O3 — and a `memoryBase` in one of the 48 user
 * windows of 64 KiB, picked from the FNV-1a hash of the file's base name unless given.
 * `import … from "parallax"` resolves to the SDK in assembly/sdk/.
 *
 * After compiling, the module's constant data must fit its window, and the module is checked
 * as the loader will check it: its `problems` say what the engine will refuse or run privately.
 */

/** The SDK, two levels above this file both in src/wasm/ and in dist/wasm/. */
const SDK_DIR = fileURLToPath(new URL('../../assembly/sdk/', import.meta.url));
const USER_WINDOWS = (KERNEL_DATA_END - USER_DATA_START) / USER_WINDOW_BYTES;

export interface BuildKernelOptions {
  /** Output path; default: the source's path with .wasm for .ts. */
  readonly outFile?: string;
  /** The module's memoryBase; default: its window by name. */
  readonly memoryBase?: number;
  /** Optimize until nothing improves (asc --converge). Builds are -O3 either way. */
  readonly converge?: boolean;
  /**
   * 'shared' (default): import the engine's shared memory. 'own': a memory of the module's own,
   * which the engine runs privately, with counted copies — for testing that fallback.
   */
  readonly memory?: 'shared' | 'own';
}

export interface BuiltKernel {
  readonly outFile: string;
  readonly bytes: number;
  readonly memoryBase: number;
  /** Which of the 48 user windows (0-based), or -1 for a memoryBase outside them. */
  readonly window: number;
  /** Bytes of constant data, from memoryBase. */
  readonly dataBytes: number;
  /** The checked module, or null when the loader refuses it (see problems). */
  readonly module: UserModule | null;
  /** What the engine will refuse, or run privately; empty for a module that runs in place. */
  readonly problems: readonly string[];
}

/** A build that failed: no such file, compile errors (asc's diagnostics), or data outside its window. */
export class KernelBuildError extends Error {
  constructor(message: string, readonly diagnostics = '') {
    super(diagnostics === '' ? message : `${message}\n${diagnostics}`);
    this.name = 'KernelBuildError';
  }
}

/** The memoryBase a module named `file` gets: 1 MiB + (FNV-1a of its base name % 48) × 64 KiB. */
export function defaultMemoryBase(file: string): number {
  return USER_DATA_START + (fnv1aText(basename(file)) % USER_WINDOWS) * USER_WINDOW_BYTES;
}

/** Where `file` asks for the SDK: `node_modules/parallax/<rest>` at any depth, else null. */
function sdkFile(name: string): string | null {
  const n = name.replace(/\\/g, '/');
  const marker = 'node_modules/parallax/';
  const at = n.lastIndexOf(marker);
  if (at < 0 || (at > 0 && n[at - 1] !== '/')) return null;
  return join(SDK_DIR, n.slice(at + marker.length));
}

interface Stream { write(chunk: Uint8Array | string): void; toString(): string }

function collect(): Stream {
  const chunks: string[] = [];
  return {
    write(chunk) {
      chunks.push(typeof chunk === 'string' ? chunk : new TextDecoder().decode(chunk));
    },
    toString: () => chunks.join(''),
  };
}

export async function buildKernel(file: string, options: BuildKernelOptions = {}): Promise<BuiltKernel> {
  const source = resolve(file);
  if (!existsSync(source) || !statSync(source).isFile()) throw new KernelBuildError(`no such file: ${file}`);
  if (!source.endsWith('.ts')) throw new KernelBuildError(`${file}: a kernel's source is an AssemblyScript file ending in .ts`);
  const outFile = resolve(options.outFile ?? source.replace(/\.ts$/, '.wasm'));
  const memoryBase = options.memoryBase ?? defaultMemoryBase(source);
  if (!Number.isInteger(memoryBase) || memoryBase < 0 || memoryBase % 16 !== 0 || memoryBase >= KERNEL_DATA_END) {
    throw new KernelBuildError(`--memory-base ${memoryBase}: give a multiple of 16 below ${KERNEL_DATA_END} (the user windows are ${USER_DATA_START}..${KERNEL_DATA_END} in steps of ${USER_WINDOW_BYTES})`);
  }
  const baseDir = dirname(source);
  const argv = [
    basename(source), '--outFile', 'out.wasm', '--runtime', 'stub', '--enable', 'simd,threads', '-O3',
    '--memoryBase', String(memoryBase), '--noColors', '--baseDir', baseDir,
    ...(options.memory === 'own' ? [] : ['--importMemory', '--sharedMemory', '--maximumMemory', '65536']),
    ...(options.converge === true ? ['--converge'] : []),
  ];
  const out: { binary: Uint8Array | null } = { binary: null };
  const stdout = collect();
  const stderr = collect();
  const { default: asc } = await import('assemblyscript/asc');
  const result = await asc.main(argv, {
    stdout,
    stderr,
    readFile: (name: string, dir: string) => {
      // The user's asconfig.json would add entries and flags of its own: the engine's flags rule.
      if (name === 'asconfig.json') return null;
      const path = sdkFile(name) ?? resolve(dir, name);
      try {
        return readFileSync(path, 'utf8');
      } catch {
        return null;
      }
    },
    writeFile: (name: string, contents: Uint8Array | string) => {
      if (name === 'out.wasm' && typeof contents !== 'string') out.binary = contents;
    },
    listFiles: () => [],
  });
  const bytes = out.binary;
  if (result.error !== null || bytes === null) {
    throw new KernelBuildError(`${file} did not compile`, stderr.toString().trim() || (result.error?.message ?? 'asc wrote no module'));
  }
  const scan = scanModule(bytes);
  const end = dataEnd(scan);
  const windowEnd = memoryBase + USER_WINDOW_BYTES;
  if (end > windowEnd) {
    throw new KernelBuildError(`${file}: its constant data (${end - memoryBase} bytes from ${memoryBase}) does not fit its 64 KiB window ${memoryBase}..${windowEnd}: make its strings and tables smaller`);
  }
  writeFileSync(outFile, bytes);
  const problems: string[] = [];
  let module: UserModule | null = null;
  try {
    module = checkUserModule(bytes, outFile);
  } catch (e) {
    problems.push(e instanceof KernelModuleError ? e.message : String(e));
  }
  if (scan.mutableGlobals > 0) problems.push(`it keeps ${scan.mutableGlobals} mutable global(s): a top-level let, or the allocator that new, arrays and string concatenation bring in; kernels keep state in pxl_state_size's area and allocate nothing, or they run privately`);
  const inWindows = memoryBase >= USER_DATA_START && Math.max(end, memoryBase) <= KERNEL_DATA_END;
  if (!inWindows) problems.push(`its memoryBase ${memoryBase} is outside the user windows ${USER_DATA_START}..${KERNEL_DATA_END}, so it will run in a private memory`);
  if (options.memory === 'own') problems.push('it has a memory of its own, so it will run in a private memory');
  return {
    outFile,
    bytes: bytes.length,
    memoryBase,
    window: inWindows ? Math.floor((memoryBase - USER_DATA_START) / USER_WINDOW_BYTES) : -1,
    dataBytes: Math.max(0, end - memoryBase),
    module,
    problems,
  };
}
