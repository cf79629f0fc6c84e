// A minimal real Backstage backend for Paver's fidelity tests: the catalog (with Template entities) and the
// Scaffolder, whose POST /api/scaffolder/v2/dry-run renders a template and returns the files.
// Started by the tests (dev.paver.backstage.BackstageBackend) with the working directory set to this folder:
//   node --no-node-snapshot index.js
// Environment: PAVER_BACKSTAGE_PORT (the loopback port to listen on) and PAVER_BACKSTAGE_TOKEN (the static
// external-access token callers send as "Authorization: Bearer <token>"); see app-config.yaml.
// PAVER_BACKSTAGE_EXIT_WITH_STDIN=true: the process ends when its standard input is closed.
// The Scaffolder's templating (isolated-vm) needs --no-node-snapshot on Node.js 20 and newer.
'use strict';

const { createBackend } = require('@backstage/backend-defaults');

for (const name of ['PAVER_BACKSTAGE_PORT', 'PAVER_BACKSTAGE_TOKEN']) {
  if (!process.env[name]) {
    console.error(`${name} is not set: the backend needs a port and a token (see index.js)`);
    process.exit(2);
  }
}

// Started by a test: end with the test's JVM, even when it dies without stopping this process (its end closes our
// standard input, a pipe from it).
if (process.env.PAVER_BACKSTAGE_EXIT_WITH_STDIN === 'true') {
  process.stdin.on('end', () => process.exit(0));
  process.stdin.resume();
}

const backend = createBackend();
backend.add(import('@backstage/plugin-catalog-backend'));
backend.add(import('@backstage/plugin-catalog-backend-module-scaffolder-entity-model'));
backend.add(import('@backstage/plugin-scaffolder-backend'));
// publish:github:pull-request and the other GitHub actions; the GitHub host is integrations.github, which a test gives
// as APP_CONFIG_integrations_github when it has a GitHub stand-in (dev.paver.conversation.Testbed#backstage)
backend.add(import('@backstage/plugin-scaffolder-backend-module-github'));
backend.start().catch(error => {
  console.error('Backstage backend failed to start:', error);
  process.exit(1);
});
