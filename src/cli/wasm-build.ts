#!/usr/bin/env node
import process from 'node:process';
import { relative } from 'node:path';
import { buildKernel, KernelBuildError, type BuildKernelOptions } from '../wasm/build-kernel.js';

/**
 * `parallax-wasm build <file.ts> [-o out.wasm] [--memory-base N] [-O]`: builds an AssemblyScript
 * kernel for wasmtransform, wasmsrc or wasmsink (doc/design/006, assembly/sdk/README.md).
 */
const WASM_USAGE = `usage: parallax-wasm build <file.ts> [-o out.wasm] [--memory-base N] [-O]

  -o, --out FILE      where to write the module (default: the source with .wasm)
  --memory-base N     where its constant data goes (default: one of the 48 windows of 64 KiB
                      between 1 MiB and 4 MiB, picked from a hash of the file name)
  -O                  optimize until nothing improves (asc --converge); builds are -O3 either way

Kernels import their SDK with: import { ABI_VERSION, capsRate } from "parallax";
exit status: 0 built, 1 built but the engine will refuse it or run it privately, 2 not built`;

interface Parsed { file: string; options: BuildKernelOptions }

function parse(argv: readonly string[]): Parsed | string {
  if (argv[0] !== 'build') return argv.length === 0 ? 'no command given' : `unknown command "${argv[0]}"`;
  let file: string | undefined;
  let outFile: string | undefined;
  let memoryBase: number | undefined;
  let converge = false;
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '-o' || a === '--out') {
      outFile = argv[++i];
      if (outFile === undefined) return `${a} needs a file name`;
    } else if (a === '--memory-base') {
      const v = argv[++i];
      memoryBase = v === undefined ? NaN : Number(v);
      if (!Number.isInteger(memoryBase)) return `--memory-base needs an integer, got ${v ?? 'nothing'}`;
    } else if (a === '-O') {
      converge = true;
    } else if (a.startsWith('-')) {
      return `unknown option ${a}`;
    } else if (file === undefined) {
      file = a;
    } else {
      return `one source file at a time (got ${file} and ${a})`;
    }
  }
  if (file === undefined) return 'no source file given';
  return { file, options: { ...(outFile === undefined ? {} : { outFile }), ...(memoryBase === undefined ? {} : { memoryBase }), converge } };
}

const hex = (n: number): string => `0x${n.toString(16)}`;

/** A path as the user would write it: relative when it is under the working directory. */
function shown(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel === '' || rel.startsWith('..') ? path : rel;
}

async function main(argv: readonly string[]): Promise<number> {
  if (argv.includes('-h') || argv.includes('--help')) {
    process.stdout.write(WASM_USAGE + '\n');
    return 0;
  }
  const parsed = parse(argv);
  if (typeof parsed === 'string') {
    process.stderr.write(`parallax-wasm: ${parsed}\n${WASM_USAGE}\n`);
    return 2;
  }
  try {
    const built = await buildKernel(parsed.file, parsed.options);
    const where = built.window >= 0 ? `window ${built.window} of 48` : 'outside the user windows';
    const kind = built.module === null ? '' : `, a ${built.module.descriptor.kind} "${built.module.descriptor.name}" with ${built.module.descriptor.properties.length} propert${built.module.descriptor.properties.length === 1 ? 'y' : 'ies'}`;
    process.stdout.write(`${shown(built.outFile)}: ${built.bytes} bytes${kind}; constant data ${built.dataBytes} bytes at ${hex(built.memoryBase)} (${where}, ${hex(built.memoryBase)}..${hex(built.memoryBase + 65536)})\n`);
    for (const p of built.problems) process.stderr.write(`parallax-wasm: warning: ${p}\n`);
    return built.problems.length > 0 ? 1 : 0;
  } catch (e) {
    process.stderr.write(`parallax-wasm: ${e instanceof KernelBuildError ? e.message : e instanceof Error ? e.stack : String(e)}\n`);
    return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`parallax-wasm: internal error: ${e instanceof Error ? e.stack : String(e)}\n`);
    process.exit(1);
  },
);
