// A small Express service on the stack loadleak was made for: Express 4, express-session with its
// default MemoryStore, prom-client 15. With SESSION_STORE=1 every cookie-less request creates a
// session that the MemoryStore keeps (the leak); without it nothing is kept per request.
// PORT (default 0: any free port) is printed as "listening on PORT" once ready. Loopback only.
'use strict';
const express = require('express');
const session = require('express-session');
const client = require('prom-client');

const app = express();
const register = new client.Registry();
client.collectDefaultMetrics({ register });
const requests = new client.Counter({ name: 'app_requests_total', help: 'requests', labelNames: ['route'], registers: [register] });

const withStore = process.env.SESSION_STORE === '1';
const store = new session.MemoryStore();
const sessions = withStore
  ? session({ store, secret: 'test-only-secret', resave: false, saveUninitialized: true, cookie: { maxAge: 24 * 3600 * 1000 } })
  : (req, res, next) => next();

// a health check never touches the session store
app.get('/health', (req, res) => { requests.inc({ route: 'health' }); res.json({ status: 'UP' }); });

// the route under suspicion: with the store, each cookie-less visit keeps a session with a cart
app.get('/api/cart', sessions, (req, res) => {
  requests.inc({ route: 'cart' });
  if (req.session) {
    req.session.cart = req.session.cart || { items: [{ sku: 'A-' + Math.floor(Math.random() * 1e6), qty: 1 }], at: Date.now() };
  }
  res.json({ items: 1 });
});

// a route that allocates and drops: garbage, never retained
app.get('/api/search', (req, res) => {
  requests.inc({ route: 'search' });
  const hits = [];
  for (let i = 0; i < 50; i++) hits.push({ id: i, title: 'item ' + i });
  res.json({ total: hits.length });
});

// how many sessions the store keeps: one per visitor that came back with its cookie, one per request without
app.get('/stats', (req, res) => { store.length((err, n) => res.json({ sessions: err ? -1 : n })); });

app.get('/metrics', async (req, res) => {
  res.set('Content-Type', register.contentType);
  res.end(await register.metrics());
});

const server = app.listen(Number(process.env.PORT || 0), '127.0.0.1', () => {
  console.log('listening on ' + server.address().port);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
