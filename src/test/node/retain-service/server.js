// A Node.js service with no dependencies that keeps a known number of bytes per request, for
// loadleak's exact-retention tests (run it with --inspect=127.0.0.1:PORT). GET /api/retain keeps one
// new string of RETAIN_BYTES one-byte characters (default 4096) in an array; GET /api/ok keeps
// nothing; GET /stats, and a line "stats {...}" on SIGTERM, say what it keeps:
// {"requests": n, "retainedBytes": n * RETAIN_BYTES}.
// PORT (default 0: any free port) is printed as "listening on PORT". Loopback only.
'use strict';
const http = require('http');

const size = Number(process.env.RETAIN_BYTES || 4096);
const kept = [];
let n = 0;

const server = http.createServer((req, res) => {
  if (req.url === '/api/retain') {
    // a sequential one-byte string of `size` characters: 16 bytes of header in V8, and its text
    kept.push(Buffer.alloc(size, String.fromCharCode(97 + (n++ % 26))).toString('latin1'));
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end('{"kept":true}');
  } else if (req.url === '/api/ok') {
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ ok: true, junk: new Array(50).fill(0).map((_, i) => ({ i })).length }));
  } else if (req.url === '/stats') {
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ requests: kept.length, retainedBytes: kept.length * size }));
  } else if (req.url === '/health') {
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end('{"status":"UP"}');
  } else {
    res.writeHead(404);
    res.end();
  }
});
server.listen(Number(process.env.PORT || 0), '127.0.0.1', () => {
  console.log('listening on ' + server.address().port);
});
// on the way out, its own count where the launcher's log keeps it
process.on('SIGTERM', () => {
  console.log('stats ' + JSON.stringify({ requests: kept.length, retainedBytes: kept.length * size }));
  server.close(() => process.exit(0));
  setTimeout(() => process.exit(0), 1000).unref();
});
