/** Thrown by an operator when a user function throws: the stage names the item. */
export class ItemError extends Error {
  constructor(readonly index: number, readonly thrown: unknown) {
    super(thrown instanceof Error ? thrown.message : String(thrown));
  }
}
