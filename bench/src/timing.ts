/** Median wall time in ms of `fn` over `runs` runs, after `warmup` untimed runs. */
export async function medianMs(fn: () => Promise<void>, runs: number, warmup = 1): Promise<number> {
  for (let i = 0; i < warmup; i++) await fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await fn();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  const mid = Math.floor(times.length / 2);
  return times.length % 2 === 1
    ? (times[mid] ?? 0)
    : ((times[mid - 1] ?? 0) + (times[mid] ?? 0)) / 2;
}
