/**
 * What a hot-path call returns instead of throwing: GStreamer's GstFlowReturn.
 * Anything but OK stops the streaming task that received it, and the executor decides what the
 * pipeline does next (EOS propagates, ERROR posts to the bus, FLUSHING means "we are stopping").
 */
export const FlowResult = {
  OK: 0,
  EOS: 1,
  FLUSHING: 2,
  NOT_NEGOTIATED: 3,
  NOT_LINKED: 4,
  ERROR: 5,
} as const;
export type FlowResult = (typeof FlowResult)[keyof typeof FlowResult];

const names = ['ok', 'eos', 'flushing', 'not-negotiated', 'not-linked', 'error'] as const;

/** "ok", "eos", "not-negotiated", … for messages. */
export function flowName(r: FlowResult): string {
  return names[r];
}
