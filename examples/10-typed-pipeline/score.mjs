// A stage function in a module of its own, so a data thread can import it (example 10).
import { threadId } from 'node:worker_threads';

/** A deliberately busy score: the work a thread is for. */
export function score(order) {
  let h = order.id;
  for (let i = 0; i < 200; i++) h = (Math.imul(h, 2654435761) + order.amount) >>> 0;
  return { id: order.id, score: h % 1000, thread: threadId };
}
