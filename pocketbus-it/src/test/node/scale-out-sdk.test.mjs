// Scale-out with the official PocketBase JavaScript SDK: two Pocketbus nodes share one NATS bus; a change
// written through node A reaches realtime subscribers of node B, rules and options applied by node B.
// Started by io.pocketbus.it.ScaleOutRealtimeSdkTest with POCKETBUS_URL_A, POCKETBUS_URL_B and a superuser
// that exists on both nodes.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { EventSource } from "eventsource";
import PocketBase from "pocketbase";
import { queue } from "./event-queue.mjs";

globalThis.EventSource = EventSource;

const urlA = process.env.POCKETBUS_URL_A;
const urlB = process.env.POCKETBUS_URL_B;
assert.ok(urlA && urlB && process.env.POCKETBUS_SU_EMAIL, "POCKETBUS_* must be set");

const clients = [];
function client(url) {
  const pb = new PocketBase(url);
  pb.autoCancellation(false);
  clients.push(pb);
  return pb;
}

after(async () => {
  for (const pb of clients) {
    await pb.realtime.unsubscribe();
  }
});

async function admin(url) {
  const pb = client(url);
  await pb.collection("_superusers").authWithPassword(process.env.POCKETBUS_SU_EMAIL, process.env.POCKETBUS_SU_PASSWORD);
  return pb;
}

const adminA = await admin(urlA);
const adminB = await admin(urlB);
// the same schema on both nodes, as nodes sharing one database would see it
for (const pb of [adminA, adminB]) {
  await pb.collections.create({
    name: "news",
    type: "base",
    listRule: "",
    viewRule: "",
    fields: [{ name: "title", type: "text" }, { name: "secret", type: "text", hidden: true }],
  });
}

test("create, update and delete through node A reach subscribe('*') on node B", async () => {
  const guestB = client(urlB);
  const events = queue();
  await guestB.collection("news").subscribe("*", (e) => events.push(e));

  const created = await adminA.collection("news").create({ title: "from A", secret: "s3cret" });
  let e = await events.next();
  assert.equal(e.action, "create");
  assert.equal(e.record.id, created.id);
  assert.equal(e.record.title, "from A");
  assert.equal(e.record.collectionName, "news");
  assert.equal(e.record.secret, undefined, "hidden fields stay hidden on node B");

  await adminA.collection("news").update(created.id, { title: "changed on A" });
  e = await events.next();
  assert.equal(e.action, "update");
  assert.equal(e.record.title, "changed on A");

  await adminA.collection("news").delete(created.id);
  e = await events.next();
  assert.equal(e.action, "delete");
  assert.equal(e.record.id, created.id);
  await guestB.collection("news").unsubscribe("*");
});

test("subscribe(id) with options on node B gets that record's changes made on node A", async () => {
  const created = await adminA.collection("news").create({ title: "watched" });
  const other = await adminA.collection("news").create({ title: "not watched" });
  const guestB = client(urlB);
  const events = queue();
  await guestB.collection("news").subscribe(created.id, (e) => events.push(e), { fields: "id,title" });

  await adminA.collection("news").update(other.id, { title: "ignored" });
  await adminA.collection("news").update(created.id, { title: "seen on B" });
  const e = await events.next();
  assert.equal(e.action, "update");
  assert.deepEqual(e.record, { id: created.id, title: "seen on B" });
});
