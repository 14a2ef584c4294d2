// File fields through the official PocketBase JavaScript SDK: uploads with FormData/Blob, downloads and
// thumbs through pb.files.getURL, protected files with pb.files.getToken.
// Started by io.pocketbus.it.PocketbaseSdkFilesTest with POCKETBUS_URL and a superuser's credentials, once per
// storage backend: POCKETBUS_FILES_BACKEND=objectstore switches file fields to the broker's Object Store
// through the settings first.
import { test } from "node:test";
import assert from "node:assert/strict";
import PocketBase, { ClientResponseError } from "pocketbase";

const url = process.env.POCKETBUS_URL;
const email = process.env.POCKETBUS_SU_EMAIL;
const password = process.env.POCKETBUS_SU_PASSWORD;
const backend = process.env.POCKETBUS_FILES_BACKEND ?? "local";
assert.ok(url && email && password, "POCKETBUS_URL, POCKETBUS_SU_EMAIL and POCKETBUS_SU_PASSWORD must be set");

const pb = new PocketBase(url);
pb.autoCancellation(false);

// a 2x2 RGB PNG
const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAEElEQVR4nGP4z8AARAwQCgAf7gP9i18U1AAAAABJRU5ErkJggg==",
  "base64",
);

async function bytes(fileUrl, init) {
  const res = await fetch(fileUrl, init);
  return { status: res.status, headers: res.headers, body: Buffer.from(await res.arrayBuffer()) };
}

let docs;
let record;

test("setup: superuser and a collection with file fields", async () => {
  await pb.collection("_superusers").authWithPassword(email, password);
  if (backend === "objectstore") {
    const settings = await pb.settings.update({ objectStore: { enabled: true, bucket: "sdk_files" } });
    assert.deepEqual(settings.objectStore, { enabled: true, bucket: "sdk_files" });
  }
  docs = await pb.collections.create({
    name: "docs",
    type: "base",
    listRule: "",
    viewRule: "@request.auth.id != ''",
    createRule: "",
    updateRule: "",
    fields: [
      { name: "title", type: "text" },
      { name: "files", type: "file", maxSelect: 3, maxSize: 1024 * 1024, thumbs: ["50x50"] },
      { name: "secret", type: "file", maxSelect: 1, protected: true },
      { name: "image", type: "file", maxSelect: 1, mimeTypes: ["image/png"] },
    ],
  });
  assert.equal(docs.name, "docs");
});

test("upload with FormData and Blob, download through getURL", async () => {
  const form = new FormData();
  form.append("title", "first");
  form.append("files", new Blob(["hello files"], { type: "text/plain" }), "Hello World.txt");
  form.append("files", new Blob([PNG], { type: "image/png" }), "pixel.png");
  form.append("secret", new Blob(["top secret"]), "secret.txt");
  record = await pb.collection("docs").create(form);
  assert.equal(record.files.length, 2);
  assert.match(record.files[0], /^hello_world_[a-z0-9]{10}\.txt$/);
  assert.match(record.files[1], /^pixel_[a-z0-9]{10}\.png$/);

  const text = await bytes(pb.files.getURL(record, record.files[0]));
  assert.equal(text.status, 200);
  assert.equal(text.body.toString(), "hello files");
  assert.equal(text.headers.get("content-type"), "text/plain; charset=utf-8");

  const download = await bytes(pb.files.getURL(record, record.files[1], { download: true }));
  assert.deepEqual(download.body, PNG);
  assert.match(download.headers.get("content-disposition"), /^attachment; filename=pixel_/);

  const thumb = await bytes(pb.files.getURL(record, record.files[1], { thumb: "50x50" }));
  assert.equal(thumb.status, 200);
  assert.equal(thumb.headers.get("content-type"), "image/png");
  assert.equal(thumb.body.readUInt32BE(16), 50);
  assert.equal(thumb.body.readUInt32BE(20), 50);

  const notAllowed = await bytes(pb.files.getURL(record, record.files[1], { thumb: "20x20" }));
  assert.deepEqual(notAllowed.body, PNG);
});

test("protected files need a file token", async () => {
  const guest = await bytes(pb.files.getURL(record, record.secret));
  assert.equal(guest.status, 404);
  const token = await pb.files.getToken();
  const withToken = await bytes(pb.files.getURL(record, record.secret, { token }));
  assert.equal(withToken.status, 200);
  assert.equal(withToken.body.toString(), "top secret");

  const anonymous = new PocketBase(url);
  const err = await anonymous.files.getToken().catch((e) => e);
  assert.ok(err instanceof ClientResponseError);
  assert.equal(err.status, 401);
});

test("append, remove and replace files on update", async () => {
  const appended = await pb.collection("docs").update(record.id, {
    "files+": new Blob(["third"], { type: "text/plain" }),
  });
  assert.equal(appended.files.length, 3);
  assert.deepEqual(appended.files.slice(0, 2), record.files);

  const tooMany = await pb.collection("docs").update(record.id, {
    "files+": new Blob(["fourth"]),
  }).catch((e) => e);
  assert.equal(tooMany.status, 400);
  assert.equal(tooMany.response.data.files.code, "validation_too_many_files");

  const removed = await pb.collection("docs").update(record.id, { "files-": [record.files[0]] });
  assert.deepEqual(removed.files, appended.files.slice(1));
  const gone = await bytes(pb.files.getURL(record, record.files[0]));
  assert.equal(gone.status, 404);

  const wrongType = await pb.collection("docs").update(record.id, {
    image: new Blob(["not a png"], { type: "image/png" }),
  }).catch((e) => e);
  assert.equal(wrongType.status, 400);
  assert.equal(wrongType.response.data.image.code, "validation_invalid_mime_type");
});

test("batch upload", async () => {
  await pb.settings.update({ batch: { enabled: true, maxRequests: 50, timeout: 3, maxBodySize: 0 } });
  const batch = pb.createBatch();
  batch.collection("docs").create({ title: "batched", files: [new Blob(["in a batch"], { type: "text/plain" })] });
  const [result] = await batch.send();
  assert.equal(result.status, 200);
  assert.match(result.body.files[0], /^[a-zA-Z0-9]+_[a-z0-9]{10}\.txt$/);
  const served = await bytes(pb.files.getURL(result.body, result.body.files[0]));
  assert.equal(served.body.toString(), "in a batch");
});
