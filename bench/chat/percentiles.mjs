/**
 * Nearest-rank percentiles of latency samples (ms), the first `n` of them (a typed array may be
 * larger than what it holds), rounded to `digits` decimals. Null when there is none.
 */
export function percentiles(samples, n = samples.length, digits = 2) {
  if (!n) return null;
  const s = Float64Array.from(samples.subarray ? samples.subarray(0, n) : samples).sort();
  const at = (q) => s[Math.min(n - 1, Math.max(0, Math.ceil(q * n) - 1))];
  const scale = 10 ** digits;
  const r = (v) => Math.round(v * scale) / scale;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += s[i];
  return {
    n,
    mean: r(sum / n),
    p50: r(at(0.5)),
    p90: r(at(0.9)),
    p99: r(at(0.99)),
    p999: r(at(0.999)),
    max: r(s[n - 1]),
  };
}
