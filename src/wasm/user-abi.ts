/**
 * The user kernel ABI, version 1, from the engine's side (doc/design/006): the exports each
 * kind of module must have, the imports it may use, the caps struct and the return codes. The
 * kernel's side is the AssemblyScript SDK in assembly/sdk/; the two must agree word for word.
 */
export const USER_ABI_VERSION = 1;

export type KernelKind = 'transform' | 'source' | 'sink';
export const KERNEL_KINDS: readonly KernelKind[] = ['transform', 'source', 'sink'];

/** Exports every kind needs. */
export const COMMON_EXPORTS = ['pxl_abi_version', 'pxl_describe', 'pxl_state_size', 'pxl_set_property', 'pxl_set_caps'] as const;
/** The export that does the work, per kind. */
export const KIND_EXPORT: Readonly<Record<KernelKind, string>> = { transform: 'pxl_process', source: 'pxl_fill', sink: 'pxl_consume' };
/** Exports a module may have and the engine calls when it does. */
export const OPTIONAL_EXPORTS = ['pxl_init', 'pxl_error'] as const;

/** `module.name` of every import a kernel may use; anything else is refused by name. */
export const ALLOWED_IMPORTS: ReadonlySet<string> = new Set(['env.memory', 'env.abort', 'env.seed', 'env.trace']);

/** The most per-instance state a kernel may ask for. */
export const STATE_MAX = 1 << 20;

/** Bytes of the caps struct `pxl_set_caps` receives. */
export const CAPS_STRUCT_BYTES = 64;
/** Word indices of the caps struct (little-endian u32). */
export const CapsWord = { MEDIA: 0, FORMAT: 1, RATE: 2, CHANNELS: 3, WIDTH: 4, HEIGHT: 5, FPS_NUM: 6, FPS_DEN: 7, FRAME_SIZE: 8 } as const;

export const MEDIA: Readonly<Record<string, number>> = { 'audio/x-raw': 1, 'video/x-raw': 2 };
export const AUDIO_FORMATS: Readonly<Record<string, number>> = { S16LE: 1, F32LE: 2 };
export const VIDEO_FORMATS: Readonly<Record<string, number>> = { RGBA: 1, RGB: 2, I420: 3, NV12: 4 };

/** `pxl_fill`'s "no more data": the source ends the stream. */
export const END_OF_STREAM = -1;

/** The SDK's names for its return codes (assembly/sdk/errors.ts), for error messages. */
const CODE_NAMES: Readonly<Record<number, string>> = {
  [-1]: 'END_OF_STREAM',
  [-2]: 'ERR_FAILED',
  [-3]: 'ERR_CAPS',
  [-4]: 'ERR_PROPERTY',
  [-5]: 'ERR_OUTPUT_TOO_SMALL',
  [-6]: 'ERR_INPUT',
  [-7]: 'ERR_NOT_NEGOTIATED',
};

/** "-5 (ERR_OUTPUT_TOO_SMALL)", or just the number for a code of the kernel's own. */
export function describeCode(code: number): string {
  const name = CODE_NAMES[code];
  return name === undefined ? String(code) : `${code} (${name})`;
}
