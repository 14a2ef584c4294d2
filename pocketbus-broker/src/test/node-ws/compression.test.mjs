// nats.js wsconnect over the `ws` package, whose client offers permessage-deflate: the broker must accept the
// offer and carry small and large (compressed) messages and a request/reply both ways.
import { wsconnect } from "@nats-io/nats-core";
import WebSocket from "ws";

const port = process.argv[2];
const negotiated = [];
globalThis.WebSocket = class extends WebSocket {
  constructor(...args) {
    super(...args);
    this.on("open", () => negotiated.push(this.extensions));
  }
};

function check(ok, what) {
  if (!ok) {
    console.error("FAILED: " + what);
    process.exit(1);
  }
}

const nc = await wsconnect({ servers: `ws://127.0.0.1:${port}` });
check(negotiated.length === 1 && negotiated[0].includes("permessage-deflate"),
  "permessage-deflate negotiated, got " + JSON.stringify(negotiated));

const big = "z".repeat(5000);
const sub = nc.subscribe("ws.compressed", { max: 2 });
const got = (async () => {
  const seen = [];
  for await (const m of sub) seen.push(m.string());
  return seen;
})();
nc.subscribe("ws.echo", { callback: (err, m) => m.respond(m.data) });
await nc.flush();
nc.publish("ws.compressed", "hi");
nc.publish("ws.compressed", big);
const seen = await got;
check(seen.length === 2 && seen[0] === "hi" && seen[1] === big, "small and large messages arrive intact");
const reply = await nc.request("ws.echo", big, { timeout: 5000 });
check(reply.string() === big, "request/reply with a compressed payload");
await nc.close();
console.log("ok");
