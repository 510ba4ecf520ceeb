// A one-actor ActivityPub server built on Fedify, for perch's interop tests (tests/it/interop.rs).
// It binds 127.0.0.1 on a free port, calls itself localhost:N, and prints
// {"port": N, "actor", "handle", "shared_inbox"} on stdout.
// Fedify verifies every inbox POST itself (signature verification is on): an activity reaches the
// listener below only once Fedify has verified it, and the listener records it as verified.
// The test drives it through /_test/* (JSON) and reads what it recorded at /_test/status.

import http from "node:http";
import { randomUUID } from "node:crypto";

// Fedify 2 wants Node 22: it reads the global `navigator` (Node 21+) on some paths, e.g. importing an
// Ed25519 JWK, where Node 20 would throw a ReferenceError. This stand-in keeps Node 20 working.
globalThis.navigator ??= { userAgent: `Node.js/${process.versions.node}` };
const { createFederation, generateCryptoKeyPair, MemoryKvStore } = await import("@fedify/fedify");
const {
  Accept, Activity, Article, Create, Delete, Endpoints, Follow, Like, Note, Person,
  PUBLIC_COLLECTION, Tombstone, Undo, Update,
} = await import("@fedify/vocab");
const { Temporal } = await import("@js-temporal/polyfill");

const USER = "alice";
const kv = new MemoryKvStore();
// Fedify signs RFC 9421 first (and falls back to draft-cavage on a refusal); --draft-cavage turns
// that round, so that a receiver sees only draft-cavage from it.
const firstKnock = process.argv.includes("--draft-cavage")
  ? "draft-cavage-http-signatures-12"
  : "rfc9421";
const federation = createFederation({ kv, allowPrivateAddress: true, firstKnock });
const keys = [await generateCryptoKeyPair("RSASSA-PKCS1-v1_5")];

const received = []; // every inbox POST: what it was and whether Fedify verified it
const followers = new Map(); // actor id → { id, inboxId, endpoints }
const notes = new Map(); // our posts, served at their ids while not deleted
let origin; // http://localhost:PORT, set once listening
const inFlight = new Map(); // activity id → the signature format of the POST carrying it
const handled = new Set(); // ids of activities that reached the listener

const id = (kind) => new URL(`${origin}/${kind}/${randomUUID()}`);

federation
  .setActorDispatcher("/users/{identifier}", async (ctx, identifier) => {
    if (identifier !== USER) return null;
    const pairs = await ctx.getActorKeyPairs(identifier);
    return new Person({
      id: ctx.getActorUri(identifier),
      preferredUsername: identifier,
      name: "Alice on Fedify",
      inbox: ctx.getInboxUri(identifier),
      endpoints: new Endpoints({ sharedInbox: ctx.getInboxUri() }),
      followers: ctx.getFollowersUri(identifier),
      publicKey: pairs[0].cryptographicKey,
    });
  })
  .setKeyPairsDispatcher(() => keys);

federation.setFollowersDispatcher("/users/{identifier}/followers", () => ({
  items: [...followers.values()],
}));

federation.setObjectDispatcher(Note, "/notes/{id}", (_ctx, values) =>
  notes.get(`${origin}/notes/${values.id}`) ?? null);

federation
  .setInboxListeners("/users/{identifier}/inbox", "/inbox")
  .on(Activity, async (ctx, activity) => {
    const raw = await activity.toJsonLd({ format: "compact" });
    const object = typeof raw.object === "object" ? raw.object : { id: raw.object };
    received.push({
      type: raw.type,
      id: raw.id,
      actor: raw.actor,
      object,
      verified: true,
      signature: inFlight.get(raw.id),
    });
    handled.add(raw.id);
    if (activity instanceof Follow && activity.objectId?.href === ctx.getActorUri(USER).href) {
      const follower = await activity.getActor();
      followers.set(follower.id.href, {
        id: follower.id,
        inboxId: follower.inboxId,
        endpoints: follower.endpoints,
      });
      await ctx.sendActivity({ identifier: USER }, follower, new Accept({
        id: id("accepts"),
        actor: ctx.getActorUri(USER),
        object: activity,
      }));
    } else if (activity instanceof Undo) {
      const undone = await activity.getObject();
      if (undone instanceof Follow) followers.delete(activity.actorId.href);
    }
  });

const context = () => federation.createContext(new URL(origin), undefined);
const me = () => context().getActorUri(USER);

async function lookup(actorUrl) {
  const actor = await context().lookupObject(actorUrl);
  if (actor?.inboxId == null) throw new Error(`no actor with an inbox at ${actorUrl}`);
  return actor;
}

async function send(to, activity) {
  const ctx = context();
  if (to === "followers") await ctx.sendActivity({ identifier: USER }, "followers", activity);
  else await ctx.sendActivity({ identifier: USER }, await lookup(to), activity);
  return { id: activity.id.href };
}

const outgoing = new Map(); // our Follow of each actor, for its Undo

function note(noteId, body) {
  const mentioned = body.to ? [new URL(body.to)] : [];
  return new Note({
    id: noteId,
    attribution: me(),
    to: PUBLIC_COLLECTION,
    ccs: [context().getFollowersUri(USER), ...mentioned],
    replyTarget: body.in_reply_to ? new URL(body.in_reply_to) : null,
    content: body.content,
    published: Temporal.Now.instant(),
    updated: body.updated ? Temporal.Now.instant() : null,
  });
}

const commands = {
  async follow({ actor }) {
    const follow = new Follow({ id: id("follows"), actor: me(), object: new URL(actor) });
    outgoing.set(actor, follow);
    return send(actor, follow);
  },
  async unfollow({ actor }) {
    return send(actor, new Undo({ id: id("undos"), actor: me(), object: outgoing.get(actor) }));
  },
  async post(body) {
    const noteId = id("notes");
    const created = note(noteId, body);
    notes.set(noteId.href, created);
    const create = new Create({
      id: new URL(`${noteId.href}/activity`),
      actor: me(),
      object: created,
      to: PUBLIC_COLLECTION,
      ccs: created.ccIds,
    });
    const sent = await send(body.to ?? "followers", create);
    return { ...sent, object: noteId.href };
  },
  async update(body) {
    const updated = note(new URL(body.id), { ...body, updated: true });
    notes.set(body.id, updated);
    return send(body.to, new Update({
      id: id("updates"), actor: me(), object: updated, to: PUBLIC_COLLECTION,
    }));
  },
  async delete(body) {
    notes.delete(body.id);
    return send(body.to, new Delete({
      id: id("deletes"), actor: me(), object: new Tombstone({ id: new URL(body.id) }),
      to: PUBLIC_COLLECTION,
    }));
  },
  async like(body) {
    return send(body.to, new Like({ id: id("likes"), actor: me(), object: new URL(body.object) }));
  },
};

async function status() {
  const perch = [...new Set(received.map((r) => new URL(r.actor).origin))];
  const specs = {};
  for (const o of perch) specs[o] = await kv.get(["_fedify", "httpMessageSignaturesSpec", o]);
  return { received, followers: [...followers.keys()], outgoing_spec: specs };
}

async function control(req, res, body) {
  const name = new URL(req.url, origin).pathname.slice("/_test/".length);
  try {
    const answer = name === "status" ? await status() : await commands[name](JSON.parse(body));
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(answer));
  } catch (error) {
    res.writeHead(500, { "content-type": "text/plain" }).end(String(error?.stack ?? error));
  }
}

const server = http.createServer(async (req, res) => {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  const body = Buffer.concat(chunks);
  if (req.url.startsWith("/_test/")) return control(req, res, body.toString());
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    headers.set(name, Array.isArray(value) ? value.join(", ") : value);
  }
  const request = new Request(new URL(req.url, origin), {
    method: req.method,
    headers,
    body: ["GET", "HEAD"].includes(req.method) ? undefined : body,
  });
  let json = null;
  if (req.method === "POST") {
    try { json = JSON.parse(body.toString()); } catch { json = {}; }
    inFlight.set(json.id, headers.has("signature-input") ? "rfc9421"
      : headers.has("signature") ? "draft-cavage" : null);
  }
  const response = await federation.fetch(request, { contextData: undefined });
  if (json && !handled.has(json.id)) {
    // Fedify refused it: recorded as not verified, with its answer.
    received.push({
      type: json.type, id: json.id, actor: json.actor, object: json.object,
      verified: false, signature: inFlight.get(json.id), status: response.status,
    });
  }
  res.writeHead(response.status, Object.fromEntries(response.headers));
  res.end(Buffer.from(await response.arrayBuffer()));
});

server.listen(0, "127.0.0.1", () => {
  const { port } = server.address();
  origin = `http://localhost:${port}`;
  const actor = `${origin}/users/${USER}`;
  const handle = `${USER}@localhost:${port}`;
  console.log(JSON.stringify({ port, actor, handle, shared_inbox: `${origin}/inbox` }));
});
