// BullMQ side of scripts/bench-queue-vs-bullmq: the same two figures as `classkit bench queue
// --backend redis`, measured the same way, on the same Redis. Prints `name: value unit` lines.
//
//   node bench.mjs --redis redis://127.0.0.1:PORT/ --jobs N --producers 16 --concurrency 16
//
// BullMQ runs with its defaults (removeOnComplete/removeOnFail off, so completed jobs are kept,
// the events stream capped at 10,000 entries, and so on): a comparison of defaults against
// defaults, not of tuned setups. The only option set is `maxRetriesPerRequest: null` on the
// IORedis clients, which BullMQ requires for workers.
import { Queue, Worker } from "bullmq";
import IORedis from "ioredis";
import { performance } from "node:perf_hooks";

function parseArgs(argv) {
  const args = { redis: null, jobs: 20000, producers: 16, concurrency: 16 };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = argv[i + 1];
    if (value === undefined) throw new Error(`${flag} needs a value`);
    i++;
    switch (flag) {
      case "--redis":
        args.redis = value;
        break;
      case "--jobs":
      case "--producers":
      case "--concurrency": {
        const n = Number.parseInt(value, 10);
        if (!Number.isInteger(n) || n < 1) throw new Error(`${flag} must be a positive integer`);
        args[flag.slice(2)] = n;
        break;
      }
      default:
        throw new Error(`unknown argument ${flag}`);
    }
  }
  if (!args.redis) throw new Error("--redis redis://HOST:PORT/ is required");
  return args;
}

function figure(name, value, unit) {
  console.log(`bullmq.${name}: ${value.toFixed(0)} ${unit}`);
}

// A client that has answered a PING. IORedis with `maxRetriesPerRequest: null` retries forever,
// so an unreachable Redis is given up on after 10 s.
async function connect(url) {
  const client = new IORedis(url, { maxRetriesPerRequest: null });
  let lastError = null;
  client.on("error", (err) => {
    lastError = err;
  });
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`no answer from ${url} within 10 s: ${lastError?.message ?? "timed out"}`)),
      10_000,
    );
  });
  try {
    await Promise.race([client.ping(), timeout]);
  } catch (err) {
    client.disconnect();
    throw err;
  } finally {
    clearTimeout(timer);
  }
  return client;
}

async function main() {
  const { redis, jobs, producers, concurrency } = parseArgs(process.argv.slice(2));
  // A fresh queue per run, so runs never see each other's jobs.
  const name = `classkit-bench-${process.pid}-${Date.now()}`;
  const queueConnection = await connect(redis);
  const workerConnection = await connect(redis);
  const queue = new Queue(name, { connection: queueConnection });
  await queue.waitUntilReady();

  // (a) Add throughput: `producers` concurrent producers, each adding one job at a time (awaiting
  // each) until `jobs` jobs are added in total.
  let claimed = 0;
  const producer = async () => {
    while (claimed < jobs) {
      claimed++;
      await queue.add("noop", {});
    }
  };
  let t = performance.now();
  await Promise.all(Array.from({ length: producers }, producer));
  const addSeconds = (performance.now() - t) / 1000;
  figure(`add_throughput_${producers}_producers`, jobs / addSeconds, "jobs/s");

  // (b) Processing: one worker running `concurrency` no-op jobs at once, started after all the
  // jobs are queued; timed (worker start included) until every job has completed.
  let completed = 0;
  let resolveDone;
  let rejectDone;
  const done = new Promise((resolve, reject) => {
    resolveDone = resolve;
    rejectDone = reject;
  });
  t = performance.now();
  const worker = new Worker(name, async () => {}, { connection: workerConnection, concurrency });
  worker.on("completed", () => {
    completed++;
    if (completed >= jobs) resolveDone();
  });
  worker.on("failed", (job, err) => {
    rejectDone(new Error(`job ${job?.id} failed: ${err?.message ?? err}`));
  });
  worker.on("error", (err) => rejectDone(err));
  await done;
  const processSeconds = (performance.now() - t) / 1000;
  figure(`e2e_noop_1x${concurrency}`, jobs / processSeconds, "jobs/s");

  await worker.close();
  await queue.obliterate({ force: true });
  await queue.close();
  // Connections passed in are the caller's to close; BullMQ leaves them open.
  await queueConnection.quit();
  await workerConnection.quit();
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(`bullmq bench: ${err?.stack ?? err}`);
    process.exit(1);
  },
);
