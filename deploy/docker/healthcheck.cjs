'use strict';
// Container health check without curl: `node deploy/docker/healthcheck.cjs [live|ready]`.
// Exit 0 when http://127.0.0.1:<PORT>/health/<live|ready> answers 2xx within the timeout, 1 otherwise.
// PORT defaults to the service's own default port (KOPPELSTUK_SERVICE names the service of the image).
const DEFAULT_PORTS = { gateway: 4000, referrals: 4001, directory: 4002, inbox: 4003, outcomes: 4004, audit: 4005 };

const kind = process.argv[2] === 'ready' ? 'ready' : 'live';
const port = Number(process.env.PORT || DEFAULT_PORTS[process.env.KOPPELSTUK_SERVICE || '']);
const timeoutMs = Number(process.env.HEALTHCHECK_TIMEOUT_MS || 4000);

if (!Number.isInteger(port) || port < 1 || port > 65535) {
  process.stderr.write('healthcheck: set PORT or KOPPELSTUK_SERVICE\n');
  process.exit(1);
}

fetch(`http://127.0.0.1:${port}/health/${kind}`, { signal: AbortSignal.timeout(timeoutMs) }).then(
  (response) => process.exit(response.ok ? 0 : 1),
  (error) => {
    process.stderr.write(`healthcheck: ${error.message}\n`);
    process.exit(1);
  },
);
