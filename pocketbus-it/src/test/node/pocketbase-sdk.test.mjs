// Drives a running Pocketbus with the official PocketBase JavaScript SDK, as an app would.
// Started by io.pocketbus.it.PocketbaseSdkTest with POCKETBUS_URL and a superuser's credentials.
import { test } from "node:test";
import assert from "node:assert/strict";
import PocketBase, { ClientResponseError } from "pocketbase";

const url = process.env.POCKETBUS_URL;
const email = process.env.POCKETBUS_SU_EMAIL;
const password = process.env.POCKETBUS_SU_PASSWORD;
assert.ok(url && email && password, "POCKETBUS_URL, POCKETBUS_SU_EMAIL and POCKETBUS_SU_PASSWORD must be set");

const pb = new PocketBase(url);
pb.autoCancellation(false);

async function rejects(promise) {
  try {
    await promise;
  } catch (err) {
    assert.ok(err instanceof ClientResponseError, `expected a ClientResponseError, got ${err}`);
    return err;
  }
  assert.fail("expected the request to fail");
}

test("a guest cannot use the collections API", async () => {
  const guest = new PocketBase(url);
  const err = await rejects(guest.collections.getList(1, 10));
  assert.equal(err.status, 401);
  assert.equal(err.response.message, "The request requires valid record authorization token.");
});

test("superuser login and refresh", async () => {
  const wrong = await rejects(pb.collection("_superusers").authWithPassword(email, "wrong-password"));
  assert.equal(wrong.status, 400);
  assert.equal(wrong.response.message, "Failed to authenticate.");

  const auth = await pb.collection("_superusers").authWithPassword(email, password);
  assert.ok(auth.token);
  assert.equal(auth.record.email, email);
  assert.ok(pb.authStore.isValid);
  assert.ok(pb.authStore.isSuperuser);

  const refreshed = await pb.collection("_superusers").authRefresh();
  assert.equal(refreshed.record.id, auth.record.id);
  assert.ok(refreshed.token);
});

let authors;
let posts;

test("collection create", async () => {
  authors = await pb.collections.create({
    name: "authors",
    type: "base",
    listRule: "",
    viewRule: "",
    fields: [{ name: "name", type: "text", required: true }],
  });
  assert.equal(authors.name, "authors");
  assert.ok(authors.id.startsWith("pbc_"));

  posts = await pb.collections.create({
    name: "posts",
    type: "base",
    listRule: "",
    viewRule: "",
    createRule: "",
    updateRule: "",
    deleteRule: "",
    fields: [
      { name: "title", type: "text", required: true, min: 3 },
      { name: "views", type: "number" },
      { name: "body", type: "editor" },
      { name: "author", type: "relation", collectionId: authors.id, maxSelect: 1 },
      { name: "tags", type: "select", values: ["a", "b", "c"], maxSelect: 3 },
    ],
  });
  assert.deepEqual(posts.fields.map((f) => f.name), ["id", "title", "views", "body", "author", "tags"]);

  const list = await pb.collections.getFullList({ filter: "name ~ 'posts'" });
  assert.deepEqual(list.map((c) => c.name), ["posts"]);
});

const created = {};

test("records CRUD with filter, sort, expand and fields", async () => {
  const ann = await pb.collection("authors").create({ name: "Ann" });
  const bob = await pb.collection("authors").create({ name: "Bob" });
  created.ann = ann;
  created.bob = bob;

  for (const [title, views, author] of [["first", 3, ann], ["second", 10, bob], ["third", 7, ann]]) {
    const post = await pb.collection("posts").create({
      title, views, author: author.id, tags: ["a"], body: `<p>The <b>${title}</b> post body</p>`,
    });
    assert.equal(post.title, title);
    assert.equal(post.collectionName, "posts");
    created[title] = post;
  }

  const page = await pb.collection("posts").getList(1, 10, {
    filter: pb.filter("views > {:min}", { min: 5 }),
    sort: "-views",
    expand: "author",
    fields: "id,title,expand.author.name,body:excerpt(8,true)",
  });
  assert.equal(page.totalItems, 2);
  assert.deepEqual(page.items.map((p) => p.title), ["second", "third"]);
  assert.equal(page.items[0].expand.author.name, "Bob");
  assert.equal(page.items[1].expand.author.name, "Ann");
  assert.equal(page.items[0].body, "The seco...");
  assert.deepEqual(Object.keys(page.items[0]).sort(), ["body", "expand", "id", "title"]);

  const one = await pb.collection("posts").getOne(created.first.id, { expand: "author" });
  assert.equal(one.expand.author.id, ann.id);

  const updated = await pb.collection("posts").update(created.first.id, { "views+": 2, "tags+": "b" });
  assert.equal(updated.views, 5);
  assert.deepEqual(updated.tags, ["a", "b"]);

  await pb.collection("posts").delete(created.third.id);
  const missing = await rejects(pb.collection("posts").getOne(created.third.id));
  assert.equal(missing.status, 404);
});

test("getFullList and getFirstListItem", async () => {
  for (let i = 0; i < 5; i++) {
    await pb.collection("authors").create({ name: `author ${i}` });
  }
  const all = await pb.collection("authors").getFullList({ sort: "name", batch: 2 });
  assert.equal(all.length, 7);
  assert.deepEqual(all.slice(0, 2).map((a) => a.name), ["Ann", "Bob"]);

  const first = await pb.collection("posts").getFirstListItem(pb.filter("title = {:t}", { t: "second" }));
  assert.equal(first.id, created.second.id);

  const none = await rejects(pb.collection("posts").getFirstListItem("title = 'nothing'"));
  assert.equal(none.status, 404);
});

test("batch runs in one transaction", async () => {
  await pb.settings.update({ batch: { enabled: true } });

  const batch = pb.createBatch();
  batch.collection("posts").create({ title: "from batch", views: 1 });
  batch.collection("posts").update(created.second.id, { views: 11 });
  batch.collection("posts").upsert({ id: "upsertedpost001", title: "upserted" });
  batch.collection("posts").delete(created.first.id);
  const results = await batch.send();
  assert.deepEqual(results.map((r) => r.status), [200, 200, 200, 204]);
  assert.equal(results[0].body.title, "from batch");
  assert.equal(results[1].body.views, 11);
  assert.equal((await pb.collection("posts").getOne("upsertedpost001")).title, "upserted");

  const failing = pb.createBatch();
  failing.collection("posts").create({ title: "rolled back" });
  failing.collection("posts").create({ title: "" });
  const err = await rejects(failing.send());
  assert.equal(err.status, 400);
  assert.equal(err.response.data.requests["1"].code, "batch_request_failed");
  assert.equal(err.response.data.requests["1"].response.data.title.code, "validation_required");
  const rolledBack = await pb.collection("posts").getList(1, 1, { filter: "title = 'rolled back'" });
  assert.equal(rolledBack.totalItems, 0);
});

test("ClientResponseError carries the field error codes", async () => {
  const blank = await rejects(pb.collection("posts").create({ title: "" }));
  assert.equal(blank.status, 400);
  assert.equal(blank.response.message, "Failed to create record.");
  assert.equal(blank.response.data.title.code, "validation_required");

  const short = await rejects(pb.collection("posts").create({ title: "ab", author: "missingauthor00" }));
  assert.equal(short.response.data.title.code, "validation_min_text_constraint");
  assert.equal(short.response.data.author.code, "validation_missing_rel_records");

  const badFilter = await rejects(pb.collection("posts").getList(1, 10, { filter: "title ~~ 'x'" }));
  assert.equal(badFilter.status, 400);

  const guest = new PocketBase(url);
  const forbidden = await rejects(guest.collection("authors").create({ name: "x" }));
  assert.equal(forbidden.status, 403);
  assert.equal(forbidden.response.message, "Only superusers can perform this action.");
});
