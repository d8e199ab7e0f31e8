/**
 * A load generator in its own process (cert-sweep.bench.ts forks it): GETs a URL at a fixed rate
 * with autocannon until the parent sends `stop`, then sends back the figures and exits.
 */
import autocannon from 'autocannon';

interface Start {
  url: string;
  rate: number;
}

process.once('message', (start: Start) => {
  let stopped = false;
  const instance = autocannon(
    { url: start.url, connections: 10, overallRate: start.rate, duration: 3600 },
    (error, result) => {
      if (error) throw error;
      const figures = {
        requests: result.requests.total,
        errors: result.errors + result.non2xx + result.timeouts,
        p50Ms: result.latency.p50,
        p99Ms: result.latency.p99,
      };
      process.send?.(figures, () => process.exit(0));
    },
  );
  process.on('message', (message) => {
    if (message === 'stop' && !stopped) {
      stopped = true;
      instance.stop();
    }
  });
});
