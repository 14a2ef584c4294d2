// Realtime with the official PocketBase JavaScript SDK: subscribe('*') and subscribe(id) with the rules of
// each subscriber, unsubscribe, and the SDK's reconnect after the server ends the stream.
// Started by io.pocketbus.it.RealtimeSdkTest with POCKETBUS_URL, a superuser's credentials,
// POCKETBUS_DROP_URL (a test route that ends every realtime stream) and two users (alice-rt, bob-rt).
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { EventSource } from "eventsource";
import PocketBase from "pocketbase";
import { queue } from "./event-queue.mjs";

// Node 20 has no EventSource; the SDK uses the global one, as in a browser
globalThis.EventSource = EventSource;

const url = process.env.POCKETBUS_URL;
const dropUrl = process.env.POCKETBUS_DROP_URL;
assert.ok(url && dropUrl && process.env.POCKETBUS_SU_EMAIL, "POCKETBUS_* must be set");

const clients = [];
function client() {
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

const admin = client();
await admin.collection("_superusers").authWithPassword(process.env.POCKETBUS_SU_EMAIL, process.env.POCKETBUS_SU_PASSWORD);
const users = await admin.collections.getOne("users");
await admin.collections.create({
  name: "rt_posts",
  type: "base",
  listRule: "owner = @request.auth.id",
  viewRule: "owner = @request.auth.id",
  fields: [
    { name: "title", type: "text" },
    { name: "owner", type: "relation", collectionId: users.id, maxSelect: 1 },
  ],
});
await admin.collections.create({ name: "rt_notes", type: "base", listRule: "", viewRule: "", fields: [{ name: "text", type: "text" }] });

// the users are created by RealtimeSdkTest
async function user(email) {
  const pb = client();
  const auth = await pb.collection("users").authWithPassword(email, "realtime-pass-1");
  return { pb, id: auth.record.id };
}

const alice = await user("alice-rt@example.com");
const bob = await user("bob-rt@example.com");
const guest = client();

// a public note: every subscriber's next event must be it, so nothing else reached them before
async function expectMarker(...queues) {
  const note = await admin.collection("rt_notes").create({ text: "marker" });
  for (const q of queues) {
    const e = await q.next();
    assert.equal(e.record.collectionName, "rt_notes", `expected the marker, got ${JSON.stringify(e)}`);
    assert.equal(e.record.id, note.id);
  }
}

test("subscribe('*') receives create, update and delete as the listRule allows", async () => {
  const qa = queue();
  const qb = queue();
  const qg = queue();
  for (const [pb, q] of [[alice.pb, qa], [bob.pb, qb], [guest, qg]]) {
    await pb.collection("rt_posts").subscribe("*", (e) => q.push(e));
    await pb.collection("rt_notes").subscribe("*", (e) => q.push(e));
  }

  const post = await admin.collection("rt_posts").create({ title: "one", owner: alice.id });
  let e = await qa.next();
  assert.equal(e.action, "create");
  assert.equal(e.record.id, post.id);
  assert.equal(e.record.title, "one");

  await admin.collection("rt_posts").update(post.id, { title: "two" });
  e = await qa.next();
  assert.equal(e.action, "update");
  assert.equal(e.record.title, "two");

  await admin.collection("rt_posts").delete(post.id);
  e = await qa.next();
  assert.equal(e.action, "delete");
  assert.equal(e.record.id, post.id);

  await expectMarker(qa, qb, qg);
  for (const pb of [alice.pb, bob.pb, guest]) {
    await pb.collection("rt_posts").unsubscribe("*");
    await pb.collection("rt_notes").unsubscribe("*");
  }
});

test("subscribe(id) receives that record as the viewRule allows, with options", async () => {
  const post = await admin.collection("rt_posts").create({ title: "watched", owner: alice.id });
  const qa = queue();
  const qb = queue();
  await alice.pb.collection("rt_posts").subscribe(post.id, (e) => qa.push(e), { fields: "id,title" });
  await bob.pb.collection("rt_posts").subscribe(post.id, (e) => qb.push(e));
  await alice.pb.collection("rt_notes").subscribe("*", (e) => qa.push(e));
  await bob.pb.collection("rt_notes").subscribe("*", (e) => qb.push(e));

  await admin.collection("rt_posts").update(post.id, { title: "changed" });
  const e = await qa.next();
  assert.equal(e.action, "update");
  assert.deepEqual(e.record, { id: post.id, title: "changed" });
  await expectMarker(qa, qb);
});

test("unsubscribe stops the events", async () => {
  const qa = queue();
  const unsubscribePosts = await alice.pb.collection("rt_posts").subscribe("*", (e) => qa.push(e));
  await alice.pb.collection("rt_notes").subscribe("*", (e) => qa.push(e));
  await unsubscribePosts();
  await admin.collection("rt_posts").create({ title: "unseen", owner: alice.id });
  await expectMarker(qa);
  await alice.pb.realtime.unsubscribe();
});

test("the SDK reconnects and resubmits its subscriptions after the server ends the stream", async () => {
  const pb = client();
  await pb.collection("users").authWithPassword("alice-rt@example.com", "realtime-pass-1");
  const connects = queue();
  const events = queue();
  await pb.realtime.subscribe("PB_CONNECT", (e) => connects.push(e));
  const first = await connects.next();
  await pb.collection("rt_posts").subscribe("*", (e) => events.push(e));

  const drop = await fetch(dropUrl, { method: "POST" });
  assert.equal(drop.status, 204);
  const second = await connects.next();
  assert.notEqual(second.clientId, first.clientId);

  const post = await admin.collection("rt_posts").create({ title: "after reconnect", owner: alice.id });
  const e = await events.next();
  assert.equal(e.action, "create");
  assert.equal(e.record.id, post.id);
});
