// The reference contender of bench/parallel.mjs: a plain piscina task that receives its
// Uint8Array by structured clone (or transfer), transforms it and returns it the same way.
import work from './parallel-kernel.mjs';

export default function task(bytes) {
  work(bytes);
  return bytes;
}
