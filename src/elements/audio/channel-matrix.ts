/**
 * audioconvert's channel matrix for N inputs → M outputs, for the counts its dedicated kernels
 * do not cover (mono ⇄ stereo have their own). Our caps carry no channel positions, so every
 * channel is unpositioned; where GStreamer would then keep channel i as channel i and drop or
 * silence the rest, this matrix keeps every input audible:
 *
 *   up-mix (M > N)    out j = in (j mod N)                        2 → 6: L R L R L R
 *   down-mix (M < N)  out j = mean of the inputs i with i mod M = j   4 → 2: (0+2)/2, (1+3)/2
 *
 * Mono → stereo and stereo → mono under these rules are the dedicated kernels' duplicate and
 * average. Coefficients are 0, 1 or 1/k (k inputs averaged), stored as f32.
 *
 * Layout: M rows of N f32, row-major, as audioconvert_mix_* read it (out[o] = Σ_i m[o·N + i] · in[i]).
 *
 * Any thread; allocation-free.
 */

/** Bytes of the matrix for `inChannels` → `outChannels`. */
export function channelMatrixBytes(inChannels: number, outChannels: number): number {
  return inChannels * outChannels * 4;
}

/** Writes the matrix for `inChannels` → `outChannels` into `f32` from element index `at`. */
export function fillChannelMatrix(f32: Float32Array, at: number, inChannels: number, outChannels: number): void {
  for (let o = 0; o < outChannels; o++) {
    const row = at + o * inChannels;
    if (outChannels >= inChannels) {
      for (let i = 0; i < inChannels; i++) f32[row + i] = i === o % inChannels ? 1 : 0;
    } else {
      // Inputs o, o + M, o + 2M … fold onto output o.
      const k = Math.ceil((inChannels - o) / outChannels);
      for (let i = 0; i < inChannels; i++) f32[row + i] = i % outChannels === o ? 1 / k : 0;
    }
  }
}
