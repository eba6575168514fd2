import { AUDIO_KERNEL_ERRORS } from './reference/common.js';

const MEANING: Readonly<Record<string, string>> = {
  ERR_ARG: 'a negative count, or channels outside 1..64',
  ERR_ALIGN: 'a payload not aligned to its sample size',
  ERR_STATE: 'the kernel state was not configured',
  ERR_WAVE: 'a wave the kernel does not generate',
  ERR_PARAM: 'a property value out of range or not finite',
  ERR_BOUNDS: 'an area past the end of memory',
  ERR_OVERLAP: 'source and destination overlap',
};

/** "volume kernel (F32LE) failed: ERR_PARAM (a property value out of range or not finite)". */
export function kernelFailure(kernel: string, format: string, code: number): string {
  const name = AUDIO_KERNEL_ERRORS[code] ?? `error ${code}`;
  const meaning = MEANING[name];
  return `${kernel} kernel (${format}) failed: ${name}${meaning !== undefined ? ` (${meaning})` : ''}`;
}
