// Drives Pocketbus's broker with the official NATS JavaScript clients: @nats-io/transport-node over TCP and
// wsconnect from @nats-io/nats-core over WebSocket at /api/nats on the HTTP port.
// Started by io.pocketbus.it.NatsJsClientsTest with NATS_URL (nats://host:port) and POCKETBUS_URL.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { connect } from "@nats-io/transport-node";
import { wsconnect, headers, errors } from "@nats-io/nats-core";
import { WebSocket } from "ws";

// Node 20 has no global WebSocket (Node 22 does); nats.js documents the ws package for that case.
globalThis.WebSocket ??= WebSocket;

const natsUrl = process.env.NATS_URL;
const httpUrl = process.env.POCKETBUS_URL;
assert.ok(natsUrl && httpUrl, "NATS_URL and POCKETBUS_URL must be set");
const wsUrl = httpUrl.replace(/^http/, "ws") + "/api/nats";

const open = [];
async function tcp() {
  const nc = await connect({ servers: natsUrl, reconnect: false });
  open.push(nc);
  return nc;
}
async function ws() {
  const nc = await wsconnect({ servers: wsUrl, reconnect: false });
  open.push(nc);
  return nc;
}
after(async () => {
  await Promise.all(open.map((nc) => nc.close()));
});

async function first(sub) {
  for await (const m of sub) {
    return m;
  }
  assert.fail("subscription ended without a message");
}

test("the server looks like nats-server to the client", async () => {
  const nc = await tcp();
  assert.ok(nc.info.server_id.startsWith("N"));
  assert.equal(nc.info.headers, true);
  assert.ok(nc.info.max_payload > 0);
});

test("pub/sub with wildcards", async () => {
  const nc = await tcp();
  const sub = nc.subscribe("orders.*.created", { max: 1 });
  const got = first(sub);
  await nc.flush();
  nc.publish("orders.42.created", "hello");
  const m = await got;
  assert.equal(m.subject, "orders.42.created");
  assert.equal(m.string(), "hello");
});

test("request/reply, and no responders", async () => {
  const nc = await tcp();
  nc.subscribe("svc.echo", {
    callback: (err, m) => {
      assert.equal(err, null);
      m.respond(`echo ${m.string()}`);
    },
  });
  await nc.flush();
  const reply = await nc.request("svc.echo", "ping", { timeout: 5000 });
  assert.equal(reply.string(), "echo ping");

  await assert.rejects(nc.request("svc.nobody", "x", { timeout: 5000 }), (err) => {
    assert.ok(err instanceof errors.RequestError && err.isNoResponders(), `no responders, got ${err}`);
    return true;
  });
});

test("headers", async () => {
  const nc = await tcp();
  const sub = nc.subscribe("with.headers", { max: 1 });
  const got = first(sub);
  await nc.flush();
  const h = headers();
  h.set("X-Trace", "abc");
  h.append("X-Multi", "1");
  h.append("X-Multi", "2");
  nc.publish("with.headers", "body", { headers: h });
  const m = await got;
  assert.equal(m.headers.get("X-Trace"), "abc");
  assert.deepEqual(m.headers.values("X-Multi"), ["1", "2"]);
  assert.equal(m.string(), "body");
});

test("WebSocket at /api/nats on the HTTP port talks to TCP clients", async () => {
  const browser = await ws();
  const server = await tcp();
  server.subscribe("ws.svc", { callback: (err, m) => m.respond(`hi ${m.string()}`) });
  await server.flush();

  const reply = await browser.request("ws.svc", "browser", { timeout: 5000 });
  assert.equal(reply.string(), "hi browser");

  const sub = browser.subscribe("ws.events", { max: 1 });
  const got = first(sub);
  await browser.flush();
  const h = headers();
  h.set("X-From", "tcp");
  server.publish("ws.events", "pushed", { headers: h });
  const m = await got;
  assert.equal(m.string(), "pushed");
  assert.equal(m.headers.get("X-From"), "tcp");
});
