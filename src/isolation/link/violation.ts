/**
 * What a process link found wrong in something the other side wrote: a counter out of range, a
 * record field, a returned token, an announcement. Thrown inside the link code and caught at the
 * bridge, which counts it, stops using the link and reports it (code IPC_VIOLATION). Never
 * thrown for a condition an honest peer can cause.
 */
export class LinkViolation extends Error {
  readonly code = 'IPC_VIOLATION';

  /**
   * @param field what was read ("record 17 length", "return ring fill")
   * @param value what it held
   * @param bound what it had to satisfy ("<= 4096", "an announced region")
   */
  constructor(readonly field: string, readonly value: number | string, readonly bound: string) {
    super(`${field} is ${value}; it must be ${bound}`);
    this.name = 'LinkViolation';
  }
}
