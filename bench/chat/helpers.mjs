/** Small helpers shared by the chat benchmark's modules: sleep, a timestamped log, rounding. */

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
export const log = (...m) => console.log(`[${new Date().toISOString().slice(11, 19)}]`, ...m);
export const round = (v, d = 2) =>
  v == null || Number.isNaN(v) ? null : Math.round(v * 10 ** d) / 10 ** d;
