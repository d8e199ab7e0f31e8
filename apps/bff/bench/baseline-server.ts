/**
 * The same-run baselines for the API benchmarks (api.bench.ts starts one per process):
 *
 *   node --import tsx apps/bff/bench/baseline-server.ts bare|express <port>
 *
 * `bare`: node:http answering a small JSON body; `express`: Express 5 answering the same through
 * `res.json`. Prints `listening` once ready.
 */
import express from 'express';
import { createServer } from 'node:http';

const [kind, portText] = process.argv.slice(2);
const port = Number(portText);
const body = JSON.stringify({ hello: 'world' });

if (kind === 'bare') {
  createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length });
    res.end(body);
  }).listen(port, '127.0.0.1', () => process.stdout.write('listening\n'));
} else if (kind === 'express') {
  const app = express();
  app.get('/', (_req, res) => {
    res.json({ hello: 'world' });
  });
  app.listen(port, '127.0.0.1', () => process.stdout.write('listening\n'));
} else {
  process.stderr.write('usage: baseline-server.ts bare|express <port>\n');
  process.exit(2);
}
