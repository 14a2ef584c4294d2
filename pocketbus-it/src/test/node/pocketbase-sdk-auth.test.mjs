// The official PocketBase SDK through Pocketbus's mail-based auth flows. Started by
// io.pocketbus.it.PocketbaseSdkAuthTest, which points Pocketbus's SMTP at GreenMail and serves the received
// mails at MAILBOX_URL (GET /mail?to=<address>&count=<n> -> {subject, html} of the n-th mail to it).
import { test } from "node:test";
import assert from "node:assert/strict";
import PocketBase, { ClientResponseError } from "pocketbase";

const url = process.env.POCKETBUS_URL;
const mailbox = process.env.MAILBOX_URL;
const suEmail = process.env.POCKETBUS_SU_EMAIL;
const suPassword = process.env.POCKETBUS_SU_PASSWORD;
assert.ok(url && mailbox && suEmail && suPassword, "POCKETBUS_URL, MAILBOX_URL and superuser credentials must be set");

const pb = new PocketBase(url);
pb.autoCancellation(false);
const users = () => pb.collection("users");

async function mail(to, count) {
  const res = await fetch(`${mailbox}/mail?to=${encodeURIComponent(to)}&count=${count}`);
  assert.equal(res.status, 200, `mail #${count} to ${to} arrived`);
  return res.json();
}

function tokenFrom(html) {
  const m = html.match(/\/auth\/confirm-[a-z-]+\/([A-Za-z0-9_.-]+)/);
  assert.ok(m, "a confirmation link in the mail");
  return m[1];
}

const email = "sdk-user@example.com";
let password = "sdk-user-pass-1";

test("sign up and verify the email from the mailed link", async () => {
  const created = await users().create({ email, password, passwordConfirm: password }).catch((e) => {
    throw new Error(`create failed: ${JSON.stringify(e.response)}`);
  });
  assert.equal(created.verified, false);
  assert.equal(await users().requestVerification(email), true);
  const m = await mail(email, 1);
  assert.match(m.subject, /^Verify your .+ email$/);
  assert.equal(await users().confirmVerification(tokenFrom(m.html)), true);
  const auth = await users().authWithPassword(email, password);
  assert.equal(auth.record.verified, true);
  assert.ok(pb.authStore.isValid);
});

test("unknown emails get the same answers", async () => {
  assert.equal(await users().requestVerification("nobody@example.com"), true);
  assert.equal(await users().requestPasswordReset("nobody@example.com"), true);
  const otp = await users().requestOTP("nobody@example.com");
  assert.match(otp.otpId, /^[a-z0-9]{15}$/);
});

test("reset the password from the mailed link; the old token stops working", async () => {
  const oldToken = pb.authStore.token;
  assert.equal(await users().requestPasswordReset(email), true);
  const m = await mail(email, 2);
  assert.match(m.subject, /^Reset your .+ password$/);
  password = "sdk-user-pass-2";
  assert.equal(await users().confirmPasswordReset(tokenFrom(m.html), password, password), true);

  const stale = new PocketBase(url);
  stale.authStore.save(oldToken, null);
  await assert.rejects(stale.collection("users").authRefresh(), (err) => err instanceof ClientResponseError && err.status === 401);
  await users().authWithPassword(email, password);
});

const newEmail = "sdk-user-new@example.com";

test("change the email from the link mailed to the new address", async () => {
  assert.equal(await users().requestEmailChange(newEmail), true);
  const m = await mail(newEmail, 1);
  assert.equal(await users().confirmEmailChange(tokenFrom(m.html), password), true);
  // the SDK forgets the auth of a record whose email changed
  assert.equal(pb.authStore.isValid, false);
  const auth = await users().authWithPassword(newEmail, password);
  assert.equal(auth.record.email, newEmail);
});

test("log in with the mailed one-time password", async () => {
  pb.authStore.clear();
  const { otpId } = await users().requestOTP(newEmail);
  const m = await mail(newEmail, 2);
  const code = m.html.match(/<strong>(\d+)<\/strong>/)[1];
  const bad = await users().authWithOTP(otpId, "00000000").catch((e) => e);
  assert.ok(bad instanceof ClientResponseError);
  assert.equal(bad.status, 400);
  const auth = await users().authWithOTP(otpId, code);
  assert.equal(auth.record.email, newEmail);
  assert.ok(pb.authStore.isValid);
});

test("auth methods and impersonation", async () => {
  const methods = await users().listAuthMethods();
  assert.equal(methods.password.enabled, true);
  assert.deepEqual(methods.password.identityFields, ["email"]);
  assert.equal(methods.otp.enabled, true);
  assert.equal(methods.mfa.enabled, false);

  const su = new PocketBase(url);
  await su.collection("_superusers").authWithPassword(suEmail, suPassword);
  const record = await su.collection("users").getFirstListItem(`email = "${newEmail}"`);
  const impersonated = await su.collection("users").impersonate(record.id, 600);
  assert.equal(impersonated.authStore.record.id, record.id);
  const payload = JSON.parse(Buffer.from(impersonated.authStore.token.split(".")[1], "base64url").toString());
  assert.equal(payload.refreshable, false);
  const me = await impersonated.collection("users").getOne(record.id);
  assert.equal(me.email, newEmail);
});
