/**
 * An AssemblyScript string in a kernel's memory: UTF-16LE at `ptr`, its byte length in the 32-bit
 * word before it (the runtime's object header). Kernels return such addresses for their
 * descriptor and their error text (doc/design/006). Reads are bounds-checked: a bad address gives
 * a message that says so, never a throw from deep inside a DataView.
 */
export function readKernelString(memory: ArrayBufferLike, ptr: number, maxBytes = 1 << 20): string {
  if (ptr === 0) return '';
  const size = memory.byteLength;
  if (!Number.isInteger(ptr) || ptr < 4 || ptr >= size) return `<string address ${ptr} is outside the memory>`;
  const bytes = new DataView(memory).getUint32(ptr - 4, true);
  if (bytes > maxBytes || ptr + bytes > size || (bytes & 1) !== 0) return `<no string at ${ptr}: length word ${bytes}>`;
  // TextDecoder refuses views of shared memory: copy the bytes out first.
  return new TextDecoder('utf-16le').decode(new Uint8Array(memory, ptr, bytes).slice());
}
