/**
 * What the chat benchmark runs with, read once: paths, the command-line options, the scenarios
 * (CFG, shortened by --quick) and the goals the results are judged against.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const HERE = dirname(fileURLToPath(import.meta.url));
export const ROOT = join(HERE, '..', '..');
export const API_MAIN = join(ROOT, 'dist', 'apps', 'api', 'src', 'main.js');
// The api runs with the node flags of `npm start` (as in production, and the Docker image).
export const API_NODE_FLAGS = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'))
  .scripts.start.split(/\s+/)
  .filter((arg) => arg.startsWith('--'));
export const WORK_DIR = join(ROOT, 'bench', '.work');
export const args = process.argv.slice(2);
export const flag = (name) => args.includes(name);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] ? args[i + 1] : fallback;
};
export const OUT = resolve(option('--out', join(ROOT, 'bench', 'results', 'chat.json')));
// Five rounds per side by default: one round's p99 on this shared VM ranges 5-155 ms for bare
// socket.io alone (the host's steal), and a median of five moves less with one disturbed round.
export const ROUNDS = Math.max(1, Math.min(5, Number(option('--rounds', '5'))));
/** Only the 100 clients x 200 msg/s latency rounds (a quick check of the p99), printed. */
export const SMALL_ONLY = flag('--small-only');
/** Only the acknowledged msg/s rounds (10-member room), printed. */
export const ACKS_ONLY = flag('--acks-only');
export const LARGE_ROUNDS = Math.min(ROUNDS, 2);
export const PG_URL = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const REDIS_URL = flag('--redis')
  ? (process.env.REDIS_URL ?? 'redis://127.0.0.1:6379')
  : undefined;

/** The scenarios of the issue; msg/s are per room (aggregate over its senders). */
export const CFG = {
  users: 200, // Kinship accounts; the 1,000-client room puts 5 sockets on each (membership is per user)
  small: {
    clients: 100,
    senders: 20,
    rate: 200,
    warmupMs: 3_000,
    durationMs: 15_000,
    drainMs: 2_000,
  },
  large: {
    clients: 1_000,
    senders: 20,
    rate: 20,
    warmupMs: 3_000,
    durationMs: 20_000,
    drainMs: 3_000,
  },
  cpu: { clients: 100, senders: 20, window: 4, warmupMs: 2_000, durationMs: 8_000 }, // the room of `small`
  acks: { clients: 10, senders: 10, window: 16, warmupMs: 2_000, durationMs: 8_000 },
};
if (flag('--quick')) {
  // A smoke test of the script itself (~3 min): the figures are not meaningful.
  for (const c of [CFG.small, CFG.large, CFG.cpu, CFG.acks]) {
    c.warmupMs = 500;
    c.durationMs = 2_000;
  }
  CFG.users = 40;
  CFG.large.clients = 200;
}
export const GOALS = {
  cpuPerDelivery: 1.5, // Kinship api µs per delivery <= 1.5 x bare
  p99Small: 2, // fan-out p99 at 100 clients x 200 msg/s <= 2 x bare
  p99Large: 1.5, // fan-out p99 at 1,000 clients x 20 msg/s <= 1.5 x bare
  kbPerClient: 50, // Kinship resident memory per connected client
  ackedPerSecond: 3_000, // Kinship acknowledged msg/s
};
