/**
 * Reads what the loader must know about a WebAssembly binary before it lets the module share the
 * arena, and that the JS API does not tell: whether its memory is imported and shared and its
 * limits, and where its active data segments write (doc/design/006).
 *
 * A reader of the binary format's section headers, imports and data segments only; everything
 * else is skipped by its size. Throws a WasmFormatError naming the byte offset of what is wrong.
 */

export class WasmFormatError extends Error {
  constructor(message: string, readonly offset: number) {
    super(`${message} (at byte ${offset})`);
    this.name = 'WasmFormatError';
  }
}

export interface MemoryImport {
  readonly module: string;
  readonly name: string;
  readonly shared: boolean;
  /** Pages. */
  readonly minimum: number;
  /** Pages; undefined when the import declares none. */
  readonly maximum: number | undefined;
  readonly memory64: boolean;
}

export interface DataSegment {
  /** Where an active segment writes; -1 for passive segments or a non-constant offset. */
  readonly address: number;
  readonly bytes: Uint8Array;
}

export interface ModuleScan {
  readonly memoryImport: MemoryImport | null;
  /** Whether the module defines a memory of its own (a memory section). */
  readonly ownsMemory: boolean;
  readonly dataSegments: readonly DataSegment[];
  /**
   * Mutable globals the module defines (not imports). An AssemblyScript kernel has none unless it
   * keeps a top-level `let` or allocates (the stub runtime's bump pointer is one): either breaks
   * the rule that instances sharing one memory keep nothing but constants there.
   */
  readonly mutableGlobals: number;
}

const SECTION_IMPORT = 2;
const SECTION_MEMORY = 5;
const SECTION_GLOBAL = 6;
const SECTION_DATA = 11;

export function scanModule(bytes: Uint8Array): ModuleScan {
  const r = new Reader(bytes);
  if (bytes.length < 8 || r.u32le() !== 0x6d736100) throw new WasmFormatError('not a WebAssembly binary: the magic number \\0asm is missing', 0);
  const version = r.u32le();
  if (version !== 1) throw new WasmFormatError(`unsupported binary version ${version}`, 4);
  let memoryImport: MemoryImport | null = null;
  let ownsMemory = false;
  const dataSegments: DataSegment[] = [];
  let mutableGlobals = 0;
  while (!r.done()) {
    const id = r.byte();
    const size = r.leb();
    const end = r.at + size;
    if (end > bytes.length) throw new WasmFormatError(`section ${id} runs past the end of the file`, r.at);
    if (id === SECTION_IMPORT) memoryImport = readImports(r, end);
    else if (id === SECTION_MEMORY) ownsMemory = r.leb() > 0;
    else if (id === SECTION_DATA) readData(r, dataSegments);
    else if (id === SECTION_GLOBAL) mutableGlobals = countMutableGlobals(r);
    r.at = end;
  }
  return { memoryImport, ownsMemory, dataSegments, mutableGlobals };
}

function countMutableGlobals(r: Reader): number {
  const count = r.leb();
  let mutable = 0;
  for (let i = 0; i < count; i++) {
    const type = r.byte();
    // Reference types of the GC proposal carry a heap type after their prefix.
    if (type === 0x63 || type === 0x64) r.sleb();
    if (r.byte() === 1) mutable++;
    skipConstExpr(r);
  }
  return mutable;
}

/** Skips a constant expression up to and including its `end`, decoding each instruction's immediates. */
function skipConstExpr(r: Reader): void {
  for (;;) {
    const op = r.byte();
    switch (op) {
      case 0x0b: return; // end
      case 0x41: r.sleb(); break; // i32.const
      case 0x42: r.skipLeb(); break; // i64.const
      case 0x43: r.at += 4; break; // f32.const
      case 0x44: r.at += 8; break; // f64.const
      case 0x23: case 0xd2: r.leb(); break; // global.get, ref.func
      case 0xd0: r.sleb(); break; // ref.null heap type
      case 0xfd: // v128.const
        if (r.leb() !== 12) throw new WasmFormatError('unexpected SIMD instruction in a constant expression', r.at);
        r.at += 16;
        break;
      case 0x6a: case 0x6b: case 0x6c: case 0x7c: case 0x7d: case 0x7e: break; // extended-const add, sub, mul
      default: throw new WasmFormatError(`unexpected opcode 0x${op.toString(16)} in a constant expression`, r.at - 1);
    }
  }
}

function readImports(r: Reader, end: number): MemoryImport | null {
  let memory: MemoryImport | null = null;
  const count = r.leb();
  for (let i = 0; i < count && r.at < end; i++) {
    const module = r.name();
    const name = r.name();
    const kind = r.byte();
    switch (kind) {
      case 0: // function: type index
        r.leb();
        break;
      case 1: // table: reftype, limits
        r.byte();
        readLimits(r);
        break;
      case 2: {
        const l = readLimits(r);
        memory = { module, name, shared: l.shared, minimum: l.minimum, maximum: l.maximum, memory64: l.memory64 };
        break;
      }
      case 3: // global: valtype, mutability
        r.byte();
        r.byte();
        break;
      case 4: // tag: attribute, type index
        r.byte();
        r.leb();
        break;
      default:
        throw new WasmFormatError(`unknown import kind ${kind} for ${module}.${name}`, r.at - 1);
    }
  }
  return memory;
}

function readLimits(r: Reader): { shared: boolean; minimum: number; maximum: number | undefined; memory64: boolean } {
  const flags = r.byte();
  const minimum = r.leb();
  const maximum = (flags & 1) !== 0 ? r.leb() : undefined;
  return { shared: (flags & 2) !== 0, minimum, maximum, memory64: (flags & 4) !== 0 };
}

function readData(r: Reader, out: DataSegment[]): void {
  const count = r.leb();
  for (let i = 0; i < count; i++) {
    const flags = r.leb();
    let address = -1;
    if (flags === 0 || flags === 2) {
      if (flags === 2) r.leb(); // memory index
      address = readConstOffset(r);
    } else if (flags !== 1) {
      throw new WasmFormatError(`unknown data segment flags ${flags}`, r.at);
    }
    const n = r.leb();
    const start = r.at;
    r.at += n;
    out.push({ address, bytes: r.bytes.subarray(start, start + n) });
  }
}

/** An offset expression: `i32.const N end` gives N; anything else (a global.get) gives -1. */
function readConstOffset(r: Reader): number {
  const op = r.byte();
  if (op === 0x41) {
    const v = r.sleb();
    if (r.byte() !== 0x0b) throw new WasmFormatError('data segment offset expression does not end after i32.const', r.at - 1);
    return v >>> 0;
  }
  // Skip to the expression's end: a global.get index, then `end`.
  while (r.byte() !== 0x0b) {
    /* skip */
  }
  return -1;
}

class Reader {
  at = 0;
  constructor(readonly bytes: Uint8Array) {}

  done(): boolean {
    return this.at >= this.bytes.length;
  }

  byte(): number {
    if (this.at >= this.bytes.length) throw new WasmFormatError('unexpected end of the file', this.at);
    return this.bytes[this.at++]!;
  }

  u32le(): number {
    const b = this.bytes;
    const v = (b[this.at]! | (b[this.at + 1]! << 8) | (b[this.at + 2]! << 16) | (b[this.at + 3]! << 24)) >>> 0;
    this.at += 4;
    return v;
  }

  /** Unsigned LEB128, up to 32 bits. */
  leb(): number {
    let result = 0;
    let shift = 0;
    for (;;) {
      const b = this.byte();
      result += (b & 0x7f) * 2 ** shift;
      if ((b & 0x80) === 0) return result;
      shift += 7;
      if (shift > 35) throw new WasmFormatError('LEB128 number too long', this.at);
    }
  }

  /** Skips a LEB128 number of any length (an i64 immediate). */
  skipLeb(): void {
    while ((this.byte() & 0x80) !== 0) {
      /* continuation */
    }
  }

  /** Signed LEB128, up to 32 bits. */
  sleb(): number {
    let result = 0;
    let shift = 0;
    let b: number;
    do {
      b = this.byte();
      result |= (b & 0x7f) << shift;
      shift += 7;
    } while ((b & 0x80) !== 0 && shift < 35);
    if (shift < 32 && (b & 0x40) !== 0) result |= -1 << shift;
    return result | 0;
  }

  name(): string {
    const n = this.leb();
    if (this.at + n > this.bytes.length) throw new WasmFormatError('a name runs past the end of the file', this.at);
    const s = new TextDecoder().decode(this.bytes.subarray(this.at, this.at + n));
    this.at += n;
    return s;
  }
}
