/**
 * `bash .ci/galera.sh`: a Galera cluster for trying things by hand. Starts the nodes, prints their
 * URLs and keeps them up until SIGINT/SIGTERM or `--for SECONDS` (default 3600), then cleans up.
 */
import { parseArgs } from 'node:util';
import { GaleraCluster } from './galera.js';

const { values } = parseArgs({
  options: {
    'retry-autocommit': { type: 'string' },
    for: { type: 'string', default: '3600' },
  },
});
const retry = values['retry-autocommit'];
const cluster = await GaleraCluster.create(
  retry === undefined ? {} : { retryAutocommit: Number(retry) },
);
let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  await cluster.destroy();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
setTimeout(stop, Number(values.for) * 1000);
try {
  await cluster.start();
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  await cluster.destroy();
  process.exit(1);
}
for (const node of cluster.nodes) {
  process.stdout.write(`${node.name}: ${node.url('<database>')} (socket ${node.socket})\n`);
}
process.stdout.write(`data under ${cluster.dir}; Ctrl-C stops and removes it\n`);
