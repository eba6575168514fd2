import { VideoKernelError } from './reference/index.js';

const MEANING: Readonly<Record<number, string>> = {
  [VideoKernelError.DIMENSIONS]: 'DIMENSIONS (a width or height outside 1..16384)',
  [VideoKernelError.FORMAT]: 'FORMAT (a format code the kernel does not know)',
  [VideoKernelError.MODE]: 'MODE (a pattern or method the kernel does not have)',
  [VideoKernelError.MATRIX]: 'MATRIX (a colour matrix other than BT.601 or BT.709)',
  [VideoKernelError.ARGUMENT]: 'ARGUMENT (a chroma site or frame number out of range)',
  [VideoKernelError.ALIGNMENT]: 'ALIGNMENT (a frame or state address not a multiple of 4)',
  [VideoKernelError.BOUNDS]: 'BOUNDS (a frame or state region past the end of memory)',
  [VideoKernelError.OVERLAP]: 'OVERLAP (source, destination or state regions share bytes)',
};

/** "kernel videoflip_flip (I420 320x240) failed with -7: BOUNDS (a frame or state region past the end of memory)". */
export function videoKernelFailure(kernel: string, what: string, code: number): string {
  return `kernel ${kernel} (${what}) failed with ${code}: ${MEANING[code] ?? 'an error code the video kernels do not define'}`;
}
