// The official SDK's all-in-one OAuth2 flow: authWithOAuth2({provider}) opens its own realtime connection,
// subscribes to @oauth2 and hands the authorize URL (state = its realtime client id) to urlCallback. Here
// urlCallback is the "browser": it follows the provider's redirect back to /api/oauth2-redirect with plain
// HTTP, and the server pushes {state, code} to the SDK's realtime client.
// Started by io.pocketbus.it.PocketbaseSdkOAuth2Test with POCKETBUS_URL; users has the "oidc" provider,
// with the provider's picture mapped to the avatar file field.
import { test } from "node:test";
import assert from "node:assert/strict";
import { EventSource } from "eventsource";
import PocketBase from "pocketbase";

// Node 20 has no EventSource; the SDK uses the global one, as in a browser
globalThis.EventSource = EventSource;

const url = process.env.POCKETBUS_URL;
assert.ok(url, "POCKETBUS_URL must be set");

// provider authorize (302 back to Pocketbus) → /api/oauth2-redirect (307 to the UI page); returns that page
async function browse(authUrl) {
  const provider = await fetch(authUrl, { redirect: "manual" });
  assert.equal(provider.status, 302);
  const back = provider.headers.get("location");
  assert.ok(back.startsWith(`${url}/api/oauth2-redirect?`), back);
  const redirect = await fetch(back, { redirect: "manual" });
  assert.equal(redirect.status, 307);
  return redirect.headers.get("location");
}

test("authWithOAuth2 with a provider name: new user (createData, avatar), then the same user again", async () => {
  for (const isNew of [true, false]) {
    const pb = new PocketBase(url);
    const pages = [];
    const auth = await pb.collection("users").authWithOAuth2({
      provider: "oidc",
      createData: { name: "From the SDK" },
      urlCallback: async (authUrl) => {
        assert.ok(authUrl.startsWith("http://127.0.0.1:"), authUrl);
        assert.ok(authUrl.includes("redirect_uri=" + encodeURIComponent(`${url}/api/oauth2-redirect`)), authUrl);
        pages.push(await browse(authUrl));
      },
    });
    assert.deepEqual(pages, ["../_/#/auth/oauth2-redirect-success"]);
    assert.equal(auth.meta.isNew, isNew);
    assert.equal(auth.meta.id, "sub-sdk");
    assert.equal(auth.record.email, "oauth2-sdk@example.com");
    assert.equal(auth.record.verified, true);
    assert.equal(auth.record.name, "From the SDK");
    // the provider's picture was downloaded into the avatar file field at sign-up
    assert.match(auth.record.avatar, /^avatar_\w+\.png$/);
    const avatar = await fetch(pb.files.getURL(auth.record, auth.record.avatar));
    assert.equal(avatar.status, 200);
    assert.equal(avatar.headers.get("content-type"), "image/png");
    assert.ok(pb.authStore.isValid);
    assert.equal(pb.authStore.record.id, auth.record.id);
    // the token works
    const refreshed = await pb.collection("users").authRefresh();
    assert.equal(refreshed.record.id, auth.record.id);
  }
});

test("the redirect for a state no realtime client holds goes to the failure page", async () => {
  const page = await fetch(`${url}/api/oauth2-redirect?state=not-a-realtime-client&code=abc`, { redirect: "manual" });
  assert.equal(page.status, 307);
  assert.equal(page.headers.get("location"), "../_/#/auth/oauth2-redirect-failure");
});
