/**
 * How often a turn waiting on the event loop (a setImmediate that keeps rescheduling itself) gets to
 * run while `work` goes on: 0 when the work never lets go of the loop until it is done.
 */
export async function turnsDuring<T>(work: () => Promise<T>): Promise<{ result: T; turns: number }> {
  let done = false;
  let turns = 0;
  const turn = () => {
    if (done) return;
    turns++;
    setImmediate(turn);
  };
  setImmediate(turn);
  try {
    return { result: await work(), turns };
  } finally {
    done = true;
  }
}
