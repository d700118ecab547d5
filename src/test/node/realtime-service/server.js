// A real-time service for loadleak's WebSocket and Socket.IO steps: socket.io 4.8 and ws 8 on one
// HTTP server, loopback only. PORT (default 0: any free port) is printed as "listening on PORT".
//  - Socket.IO namespace /media: a connection needs auth.token === TOKEN (default "good-token"),
//    else connect_error "unauthorized". "ping-media" is acked with {pong: n, echo: data}; the
//    namespace emits "media-update" every UPDATE_MS (default 200) to every connected socket.
//    With LEAK_PER_CONNECTION=N each connection keeps N bytes for ever (the per-connection leak
//    a listener or a room never released makes); without it nothing outlives a connection.
//  - Plain WebSocket at /ws: {"type":"ping","id":X} is answered {"type":"pong","id":X}.
//  - /mute.io/: speaks Engine.IO 4 just enough to connect a namespace, announces a 300 ms ping
//    interval and 200 ms ping timeout, then never pings: a server that stopped answering.
//  - GET /stats: {acks, wsMessages, connections, open, disconnects}; GET /health: {status: UP};
//    GET /token: {token: "expired-..."}, a token /media refuses (and its refusal repeats).
'use strict';
const http = require('http');
const { Server } = require('socket.io');
const { WebSocketServer } = require('ws');

const TOKEN = process.env.TOKEN || 'good-token';
const UPDATE_MS = Number(process.env.UPDATE_MS || 200);
const LEAK = Number(process.env.LEAK_PER_CONNECTION || 0);
const stats = { acks: 0, wsMessages: 0, connections: 0, open: 0, disconnects: 0 };
const kept = [];

const server = http.createServer((req, res) => {
  if (req.url === '/stats') {
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify(stats));
  } else if (req.url === '/token') {
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify({ token: 'expired-' + Math.random().toString(36).slice(2) }));
  } else if (req.url === '/health') {
    res.setHeader('Content-Type', 'application/json');
    res.end('{"status":"UP"}');
  } else if (!req.url.startsWith('/socket.io/')) {
    res.statusCode = 404;
    res.end();
  }
});

// PING_MS: Engine.IO's ping interval (socket.io's default 25 s); the benchmark shortens it
const io = new Server(server, { transports: ['websocket'], pingInterval: Number(process.env.PING_MS || 25000) });
const media = io.of('/media');
media.use((socket, next) => {
  if (socket.handshake.auth && socket.handshake.auth.token === TOKEN) {
    next();
  } else {
    // as careless servers do, the refusal repeats the token it refused: loadleak must not print it
    next(new Error('unauthorized: no session for token ' + (socket.handshake.auth && socket.handshake.auth.token)));
  }
});
media.on('connection', (socket) => {
  stats.connections++;
  stats.open++;
  if (LEAK > 0) {
    // never released: the leak per connection (a flat string: 'x'.repeat(n) would be a rope of a few shared nodes)
    kept.push(Buffer.alloc(LEAK, 120).toString('latin1') + socket.id);
  }
  socket.on('ping-media', (...args) => { // the ack callback, when asked for, is the last argument
    stats.acks++;
    const ack = args[args.length - 1];
    if (typeof ack === 'function') ack({ pong: stats.acks, echo: args.length > 1 ? args[0] : null });
  });
  socket.on('disconnect', () => {
    stats.open--;
    stats.disconnects++;
  });
});
setInterval(() => media.emit('media-update', { at: Date.now(), open: stats.open }), UPDATE_MS).unref();

const plain = new WebSocketServer({ noServer: true });
plain.on('connection', (ws) => {
  ws.on('message', (raw) => {
    stats.wsMessages++;
    let msg;
    try { msg = JSON.parse(raw.toString()); } catch (e) { return; }
    if (msg.type === 'ping') ws.send(JSON.stringify({ type: 'pong', id: msg.id }));
  });
});

const mute = new WebSocketServer({ noServer: true });
mute.on('connection', (ws) => {
  ws.send('0' + JSON.stringify({ sid: 'mute', upgrades: [], pingInterval: 300, pingTimeout: 200, maxPayload: 1e6 }));
  ws.on('message', (raw) => {
    const text = raw.toString();
    if (text.startsWith('40')) { // a namespace connect: accepted, then silence
      const ns = text.startsWith('40/') ? text.substring(2, text.indexOf(',') < 0 ? text.length : text.indexOf(',')) + ',' : '';
      ws.send('40' + ns + JSON.stringify({ sid: 'mute-ns' }));
    }
  });
});

server.on('upgrade', (req, socket, head) => {
  if (req.url.startsWith('/ws')) {
    plain.handleUpgrade(req, socket, head, (ws) => plain.emit('connection', ws, req));
  } else if (req.url.startsWith('/mute.io/')) {
    mute.handleUpgrade(req, socket, head, (ws) => mute.emit('connection', ws, req));
  }
  // /socket.io/ upgrades are socket.io's own
});

server.listen(Number(process.env.PORT || 0), '127.0.0.1', () => {
  console.log('listening on ' + server.address().port);
});
process.on('SIGTERM', () => { io.close(); server.close(() => process.exit(0)); setTimeout(() => process.exit(0), 500).unref(); });
