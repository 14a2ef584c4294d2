// The Pocketbus domain (groups, invitations, projects) with the official PocketBase SDK. Started by
// io.pocketbus.it.DomainSdkTest, which serves the mails GreenMail received at MAILBOX_URL
// (GET /mail?to=<address>&count=<n> -> {subject, html} of the n-th mail to it).
import { test } from "node:test";
import assert from "node:assert/strict";
import PocketBase, { ClientResponseError } from "pocketbase";

const url = process.env.POCKETBUS_URL;
const mailbox = process.env.MAILBOX_URL;
assert.ok(url && mailbox, "POCKETBUS_URL and MAILBOX_URL must be set");

function client() {
  const pb = new PocketBase(url);
  pb.autoCancellation(false);
  return pb;
}

async function register(email) {
  const pb = client();
  await pb.collection("users").create({ email, password: "domain-pass-1", passwordConfirm: "domain-pass-1" });
  await pb.collection("users").authWithPassword(email, "domain-pass-1");
  return pb;
}

async function status(promise) {
  try {
    await promise;
    return 200;
  } catch (e) {
    assert.ok(e instanceof ClientResponseError, String(e));
    return e.status;
  }
}

const alice = await register("alice@example.com");
const bob = await register("bob@example.com");
const eve = await register("eve@example.com");
const aliceId = alice.authStore.record.id;
const bobId = bob.authStore.record.id;
let team;

test("register: the personal group exists, is mygroup, and cannot be deleted", async () => {
  const me = alice.authStore.record;
  assert.ok(me.mygroup);
  assert.deepEqual(me.groups, [me.mygroup]);
  const group = await alice.collection("groups").getOne(me.mygroup);
  assert.equal(group.personal, true);
  assert.equal(group.owner, me.id);
  assert.equal(await status(alice.collection("groups").delete(me.mygroup)), 400);
  // the update rule keeps memberships out of the user's reach: the record is not updatable that way (404)
  assert.equal(await status(alice.collection("users").update(me.id, { groups: [] })), 404);
  assert.deepEqual((await alice.collection("users").getOne(me.id)).groups, [me.mygroup]);
});

test("create a group, invite by mail, accept, and see its projects", async () => {
  team = await alice.collection("groups").create({ name: "Team", owner: aliceId });
  await alice.collection("projects").create({ name: "Chat", group: team.id });
  const inv = await alice.send(`/api/pocketbus/groups/${team.id}/invitations`, {
    method: "POST", body: { email: "bob@example.com" },
  });
  const res = await fetch(`${mailbox}/mail?to=${encodeURIComponent("bob@example.com")}&count=1`);
  assert.equal(res.status, 200);
  const mail = await res.json();
  assert.match(mail.html, new RegExp(inv.id));

  assert.equal(await status(bob.collection("groups").getOne(team.id)), 404);
  assert.equal(await status(eve.send(`/api/pocketbus/invitations/${inv.id}/accept`, { method: "POST" })), 404);
  await bob.send(`/api/pocketbus/invitations/${inv.id}/accept`, { method: "POST" });
  assert.equal((await bob.collection("groups").getOne(team.id)).name, "Team");
  const projects = await bob.collection("projects").getFullList({ filter: `group = "${team.id}"` });
  assert.deepEqual(projects.map((p) => p.name), ["Chat"]);
  assert.deepEqual(await eve.collection("projects").getFullList(), []);
  const feed = await bob.collection("activities").getFullList({ filter: `group = "${team.id}"` });
  assert.ok(feed.some((a) => a.verb === "joined"));
});

test("transfer ownership, then the former owner leaves; the new owner removes nobody twice", async () => {
  assert.equal(await status(alice.send(`/api/pocketbus/groups/${team.id}/transfer`, {
    method: "POST", body: { owner: eve.authStore.record.id },
  })), 400);
  const moved = await alice.send(`/api/pocketbus/groups/${team.id}/transfer`, {
    method: "POST", body: { owner: bobId },
  });
  assert.equal(moved.owner, bobId);
  assert.equal(await status(bob.send(`/api/pocketbus/groups/${team.id}/leave`, { method: "POST" })), 400);
  await alice.send(`/api/pocketbus/groups/${team.id}/leave`, { method: "POST" });
  assert.equal(await status(alice.collection("groups").getOne(team.id)), 404);
  assert.equal(await status(bob.send(`/api/pocketbus/groups/${team.id}/members/${aliceId}`, {
    method: "DELETE",
  })), 404);
});

test("the owner removes a member", async () => {
  const inv = await bob.send(`/api/pocketbus/groups/${team.id}/invitations`, {
    method: "POST", body: { email: "alice@example.com" },
  });
  await alice.send(`/api/pocketbus/invitations/${inv.id}/accept`, { method: "POST" });
  await bob.send(`/api/pocketbus/groups/${team.id}/members/${aliceId}`, { method: "DELETE" });
  assert.equal(await status(alice.collection("groups").getOne(team.id)), 404);
});

test("roles: a viewer sees the projects, changes nothing, and gets viewer credentials until made a member", async () => {
  const studio = await alice.collection("groups").create({ name: "Studio", owner: aliceId });
  const project = await alice.collection("projects").create({ name: "Board", group: studio.id });
  assert.equal(await status(alice.send(`/api/pocketbus/groups/${studio.id}/invitations`, {
    method: "POST", body: { email: "eve@example.com", role: "admin" },
  })), 400);
  const inv = await alice.send(`/api/pocketbus/groups/${studio.id}/invitations`, {
    method: "POST", body: { email: "eve@example.com", role: "viewer" },
  });
  assert.equal(inv.role, "viewer");
  await eve.send(`/api/pocketbus/invitations/${inv.id}/accept`, { method: "POST" });
  const eveId = eve.authStore.record.id;

  assert.equal((await eve.collection("groups").getOne(studio.id)).name, "Studio");
  const seen = await eve.collection("projects").getFullList({ filter: `group = "${studio.id}"` });
  assert.deepEqual(seen.map((p) => p.name), ["Board"]);
  assert.equal(await status(eve.collection("projects").create({ name: "Mine", group: studio.id })), 400);
  assert.equal(await status(eve.collection("projects").update(project.id, { name: "Renamed" })), 404);
  assert.equal(await status(eve.collection("projects").delete(project.id)), 404);
  const viewerCreds = await eve.send(`/api/pocketbus/projects/${project.id}/credentials`, { method: "POST" });
  assert.equal(viewerCreds.role, "viewer");

  assert.equal(await status(eve.send(`/api/pocketbus/groups/${studio.id}/members/${aliceId}/role`, {
    method: "POST", body: { role: "viewer" },
  })), 403);
  const changed = await alice.send(`/api/pocketbus/groups/${studio.id}/members/${eveId}/role`, {
    method: "POST", body: { role: "member" },
  });
  assert.equal(changed.role, "member");
  const memberCreds = await eve.send(`/api/pocketbus/projects/${project.id}/credentials`, { method: "POST" });
  assert.equal(memberCreds.role, "member");
  await eve.collection("projects").create({ name: "Mine", group: studio.id });
  const feed = await eve.collection("activities").getFullList({ filter: `group = "${studio.id}"` });
  assert.ok(feed.some((a) => a.verb === "role.member" && a.actor === aliceId && a.target === eveId));
  assert.ok(feed.some((a) => a.verb === "project.created" && a.actor === aliceId));
});

test("fellow members see each other's records, emails only where visible; others see nobody", async () => {
  const users = await eve.collection("users").getFullList();
  const ids = users.map((u) => u.id).sort();
  assert.deepEqual(ids, [aliceId, eve.authStore.record.id].sort());
  const aliceSeen = users.find((u) => u.id === aliceId);
  assert.equal(aliceSeen.email, undefined);
  await alice.collection("users").update(aliceId, { emailVisibility: true });
  assert.equal((await eve.collection("users").getOne(aliceId)).email, "alice@example.com");

  const stranger = await register("stranger@example.com");
  assert.deepEqual((await stranger.collection("users").getFullList()).map((u) => u.id), [stranger.authStore.record.id]);
  assert.equal(await status(stranger.collection("users").getOne(aliceId)), 404);
});
