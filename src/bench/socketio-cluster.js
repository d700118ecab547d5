// The benchmark's Socket.IO server: src/test/node/realtime-service/server.js in WORKERS processes
// (default 2, one per core) sharing PORT through Node's cluster module (websocket-only transport:
// no sticky sessions needed). Prints "listening on PORT" once every worker listens.
'use strict';
const cluster = require('cluster');
const path = require('path');
const workers = Number(process.env.WORKERS || 2);
if (cluster.isPrimary) {
  let up = 0;
  for (let i = 0; i < workers; i++) {
    cluster.fork().on('message', (m) => {
      if (m === 'up' && ++up === workers) console.log('listening on ' + process.env.PORT);
    });
  }
  process.on('SIGTERM', () => { for (const id in cluster.workers) cluster.workers[id].kill(); process.exit(0); });
} else {
  const log = console.log;
  console.log = (...a) => { if (String(a[0]).startsWith('listening on')) process.send('up'); else log(...a); };
  require(path.join(__dirname, '../test/node/realtime-service/server.js'));
}
