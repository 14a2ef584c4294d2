// JetStream, KV and Object Store through the NATS JS clients (@nats-io/* 3.x) against a running
// Pocketbus broker. Usage: node jetstream.test.mjs <port> <file|memory>. Exits non-zero on the first
// failed check; run by io.pocketbus.broker.NatsJsClientTest.
import { connect } from "@nats-io/transport-node";
import { AckPolicy, DeliverPolicy, jetstream, jetstreamManager, JetStreamApiError } from "@nats-io/jetstream";
import { Kvm } from "@nats-io/kv";
import { Objm } from "@nats-io/obj";
import assert from "node:assert/strict";

const [port, storage] = process.argv.slice(2);
const nc = await connect({ servers: `127.0.0.1:${port}` });
const text = (m) => new TextDecoder().decode(m.data ?? m.value);

async function streamsAndConsumers() {
  const jsm = await jetstreamManager(nc);
  const info = await jsm.streams.add({ name: "NODE", subjects: ["node.>"], storage });
  assert.equal(info.config.storage, storage);
  const js = jetstream(nc);
  const pa = await js.publish("node.a", "hello", { msgID: "m1" });
  assert.equal(pa.stream, "NODE");
  assert.equal(pa.seq, 1);
  const dup = await js.publish("node.a", "hello", { msgID: "m1" });
  assert.equal(dup.duplicate, true);
  assert.equal(dup.seq, 1);
  await assert.rejects(js.publish("node.b", "x", { expect: { lastSequence: 9 } }),
    (e) => e instanceof JetStreamApiError && e.code === 10071 && e.message === "wrong last sequence: 1");
  for (let i = 0; i < 4; i++) {
    await js.publish("node.b", `b${i}`);
  }
  await assert.rejects(jsm.streams.info("NOPE"), (e) => e.message === "stream not found");

  await jsm.consumers.add("NODE", { durable_name: "worker", ack_policy: AckPolicy.Explicit });
  const c = await js.consumers.get("NODE", "worker");
  const first = await c.next({ expires: 2000 });
  assert.equal(text(first), "hello");
  assert.equal(first.info.streamSequence, 1);
  assert.equal(first.info.pending, 4);
  await first.ackAck();
  const batch = await c.fetch({ max_messages: 10, expires: 1000 });
  const got = [];
  for await (const m of batch) {
    got.push(text(m));
    m.ack();
  }
  assert.deepEqual(got, ["b0", "b1", "b2", "b3"]);
  const ci = await c.info();
  assert.equal(ci.num_pending, 0);
  assert.equal(ci.delivered.consumer_seq, 5);

  const ordered = await js.consumers.get("NODE", { filter_subjects: ["node.b"] });
  const msgs = await ordered.consume();
  const seen = [];
  for await (const m of msgs) {
    seen.push(text(m));
    if (m.info.pending === 0) {
      break;
    }
  }
  assert.deepEqual(seen, ["b0", "b1", "b2", "b3"]);

  const names = [];
  for await (const n of jsm.streams.names()) {
    names.push(n);
  }
  assert.deepEqual(names, ["NODE"]);
  await jsm.streams.purge("NODE", { filter: "node.b", keep: 1 });
  assert.equal((await jsm.streams.info("NODE")).state.messages, 2);
  await jsm.streams.delete("NODE");
}

async function keyValue() {
  const kvm = new Kvm(nc);
  const kv = await kvm.create("nodekv", { history: 5, storage });
  const r1 = await kv.put("color", "red");
  assert.equal(text(await kv.get("color")), "red");
  const r2 = await kv.update("color", "blue", r1);
  assert.ok(r2 > r1);
  await assert.rejects(kv.update("color", "green", r1));
  await kv.create("size", "L");
  await assert.rejects(kv.create("size", "M"));
  await kv.delete("size");
  const deleted = await kv.get("size");
  assert.equal(deleted.operation, "DEL");
  await kv.create("size", "S");
  const keys = [];
  for await (const k of await kv.keys()) {
    keys.push(k);
  }
  assert.deepEqual(keys.sort(), ["color", "size"]);
  const history = [];
  for await (const e of await kv.history({ key: "color" })) {
    history.push(e.string());
  }
  assert.deepEqual(history, ["red", "blue"]);
  await kv.purge("color");
  assert.equal((await kv.get("color")).operation, "PURGE");
  const status = await kv.status();
  assert.equal(status.history, 5);

  const watch = await kv.watch({ key: "w.*" });
  await kv.put("w.1", "one");
  await kv.put("w.2", "two");
  const watched = [];
  for await (const e of watch) {
    watched.push(`${e.key}=${e.string()}`);
    if (watched.length === 2) {
      break;
    }
  }
  assert.deepEqual(watched, ["w.1=one", "w.2=two"]);
  const opened = await kvm.open("nodekv");
  assert.equal(text(await opened.get("w.2")), "two");
}

async function objectStore() {
  const objm = new Objm(nc);
  const os = await objm.create("nodeobj", { storage });
  const data = new Uint8Array(300_000);
  for (let i = 0; i < data.length; i++) {
    data[i] = (i * 31) & 0xff;
  }
  const info = await os.putBlob({ name: "big.bin", options: { max_chunk_size: 64 * 1024 } }, data);
  assert.equal(info.size, data.length);
  assert.equal(info.chunks, 5);
  assert.deepEqual(await os.getBlob("big.bin"), data);
  await os.putBlob({ name: "small.txt" }, new TextEncoder().encode("hi"));
  const list = (await os.list()).map((i) => i.name).sort();
  assert.deepEqual(list, ["big.bin", "small.txt"]);
  await os.delete("big.bin");
  assert.equal(await os.getBlob("big.bin"), null);
  assert.deepEqual((await os.list()).map((i) => i.name), ["small.txt"]);
}

try {
  await streamsAndConsumers();
  await keyValue();
  await objectStore();
  console.log("ok");
} finally {
  await nc.close();
}
