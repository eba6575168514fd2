// The CPU work of bench/parallel.mjs, shared by both contenders: PASSES passes of a byte
// transform over the payload, in place. PASSES comes from the environment (workers inherit it).
const PASSES = Number(process.env.PASSES ?? 4);

export default function work(data) {
  for (let p = 0; p < PASSES; p++) {
    for (let i = 0; i < data.length; i++) data[i] = (data[i] * 31 + 7 + p) & 255;
  }
}
