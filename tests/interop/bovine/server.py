"""A one-actor ActivityPub server built on bovine, for perch's interop tests (tests/it/interop.rs).

It binds 127.0.0.1 on a free port, calls itself localhost:N, and prints
{"port": N, "actor", "handle", "shared_inbox"} on stdout.
bovine signs what it sends (BovineActor) and checks the HTTP signature of every inbox POST
(bovine.crypto's SignatureChecker); it records each POST with whether bovine verified it.

  server.py          answers an inbox POST only after verifying it: 401 when bovine does not
  server.py --lazy   answers 202 at once and verifies afterwards, as snac2 and Pixelfed do; an
                     activity that fails is dropped, and only the record says so

The test drives it through /_test/* (JSON) and reads what it recorded at /_test/status.
"""

import asyncio
import json
import socket
import sys
import uuid

from aiohttp import web

from bovine import BovineActor
from bovine.activitystreams import Actor, factories_for_actor_object
from bovine.crypto import build_validate_http_signature_raw, generate_rsa_public_private_key
from bovine.crypto.types import CryptographicIdentifier

USER = "bob"
LAZY = "--lazy" in sys.argv
AS_JSON = "application/activity+json"


class Peer:
    def __init__(self, origin):
        self.origin = origin
        self.actor_id = f"{origin}/users/{USER}"
        public_pem, private_pem = generate_rsa_public_private_key()
        self.profile = Actor(
            id=self.actor_id,
            preferred_username=USER,
            name="Bob on bovine",
            inbox=f"{self.actor_id}/inbox",
            outbox=f"{self.actor_id}/outbox",
            followers=f"{self.actor_id}/followers",
            public_key=public_pem,
            public_key_name="main-key",
        ).build()
        self.profile["endpoints"] = {"sharedInbox": f"{origin}/inbox"}
        self.profile["followers"] = f"{self.actor_id}/followers"
        self.activities, self.objects = factories_for_actor_object(self.profile)
        self.client = BovineActor(
            actor_id=self.actor_id, public_key_url=f"{self.actor_id}#main-key", secret=private_pem
        )
        self.validate = build_validate_http_signature_raw(self.key_for)
        self.received = []  # every inbox POST: what it was and whether bovine verified it
        self.followers = {}  # actor id → inbox
        self.notes = {}  # our posts, served at their ids while not deleted
        self.outgoing = {}  # our Follow of each actor, for its Undo
        self.tasks = set()

    def new_id(self, kind):
        return f"{self.origin}/{kind}/{uuid.uuid4()}"

    async def key_for(self, key_id):
        document = await self.client.get(key_id)
        return CryptographicIdentifier.from_public_key(document.get("publicKey", document))

    async def inbox_of(self, actor_id):
        actor = await self.client.get(actor_id)
        return actor["inbox"]

    async def send(self, to, activity):
        inboxes = list(self.followers.values()) if to == "followers" else [await self.inbox_of(to)]
        for inbox in inboxes:
            await self.client.post(inbox, activity)
        return {"id": activity["id"]}

    async def verify(self, request, body):
        """The owner of the key that signed the request, when bovine verifies it."""

        async def read_body():
            return body

        try:
            return await self.validate(request.method, str(request.url), request.headers, read_body)
        except Exception as error:  # bovine raises on signatures it cannot parse
            print(f"verification error: {error!r}", file=sys.stderr)
            return None

    async def handle(self, request, body):
        """Verifies, records and acts on one inbox POST; True when it was verified."""
        activity = json.loads(body)
        owner = await self.verify(request, body)
        verified = owner is not None and owner == activity.get("actor")
        obj = activity.get("object")
        self.received.append(
            {
                "type": activity.get("type"),
                "id": activity.get("id"),
                "actor": activity.get("actor"),
                "object": obj if isinstance(obj, dict) else {"id": obj},
                "verified": verified,
                "signature": signature_format(request.headers),
            }
        )
        if not verified:
            return False
        if activity.get("type") == "Follow" and obj == self.actor_id:
            self.followers[activity["actor"]] = await self.inbox_of(activity["actor"])
            accept = self.activities.accept(activity, include_activity=True, id=self.new_id("accepts"))
            await self.send(activity["actor"], accept.build())
        elif activity.get("type") == "Undo" and isinstance(obj, dict) and obj.get("type") == "Follow":
            self.followers.pop(activity["actor"], None)
        return True

    async def inbox(self, request):
        body = await request.read()
        if LAZY:
            task = asyncio.create_task(self.handle_later(request, body))
            self.tasks.add(task)
            task.add_done_callback(self.tasks.discard)
            return web.Response(status=202)
        verified = await self.handle(request, body)
        return web.Response(status=202 if verified else 401)

    async def handle_later(self, request, body):
        await asyncio.sleep(0.5)
        await self.handle(request, body)

    def note(self, note_id, body):
        mentioned = {body["to"]} if body.get("to") else set()
        note = self.objects.note(
            id=note_id,
            content=body["content"],
            in_reply_to=body.get("in_reply_to"),
            cc={self.profile["followers"], *mentioned},
        ).as_public()
        built = note.build()
        built["to"] = ["https://www.w3.org/ns/activitystreams#Public"]
        return built

    async def command(self, name, body):
        if name == "follow":
            follow = self.activities.follow(body["actor"], id=self.new_id("follows")).build()
            self.outgoing[body["actor"]] = follow
            return await self.send(body["actor"], follow)
        if name == "unfollow":
            undo = self.activities.undo(
                self.outgoing[body["actor"]], include_activity=True, id=self.new_id("undos")
            )
            return await self.send(body["actor"], undo.build())
        if name == "post":
            note = self.note(self.new_id("notes"), body)
            self.notes[note["id"]] = note
            create = self.activities.create(note, id=f"{note['id']}/activity").build()
            sent = await self.send(body.get("to", "followers"), create)
            return {**sent, "object": note["id"]}
        if name == "update":
            note = self.note(body["id"], body)
            note["updated"] = note["published"]
            self.notes[body["id"]] = note
            update = self.activities.update(note, id=self.new_id("updates")).build()
            return await self.send(body["to"], update)
        if name == "delete":
            self.notes.pop(body["id"], None)
            tombstone = {"id": body["id"], "type": "Tombstone"}
            delete = self.activities.delete(tombstone, id=self.new_id("deletes")).as_public()
            return await self.send(body["to"], delete.build())
        if name == "like":
            like = self.activities.like(body["object"], id=self.new_id("likes")).build()
            return await self.send(body["to"], like)
        raise web.HTTPNotFound()


def signature_format(headers):
    if "signature-input" in headers:
        return "rfc9421"
    return "draft-cavage" if "signature" in headers else None


def json_response(data, status=200, content_type="application/json"):
    return web.Response(text=json.dumps(data), status=status, content_type=content_type)


def app_for(peer):
    async def control(request):
        name = request.match_info["name"]
        if name == "status":
            return json_response({"received": peer.received, "followers": list(peer.followers)})
        return json_response(await peer.command(name, await request.json()))

    async def actor(request):
        if request.match_info["name"] != USER:
            raise web.HTTPNotFound()
        return json_response(peer.profile, content_type=AS_JSON)

    async def note(request):
        note = peer.notes.get(str(request.url))
        if note is None:
            raise web.HTTPNotFound()
        return json_response(note, content_type=AS_JSON)

    async def webfinger(request):
        if request.query.get("resource") != f"acct:{USER}@{peer.origin.split('//')[1]}":
            raise web.HTTPNotFound()
        link = {"rel": "self", "type": AS_JSON, "href": peer.actor_id}
        jrd = {"subject": request.query["resource"], "links": [link]}
        return json_response(jrd, content_type="application/jrd+json")

    app = web.Application()
    app.router.add_get("/_test/{name}", control)
    app.router.add_post("/_test/{name}", control)
    app.router.add_get("/.well-known/webfinger", webfinger)
    app.router.add_get("/users/{name}", actor)
    app.router.add_post("/users/{name}/inbox", peer.inbox)
    app.router.add_post("/inbox", peer.inbox)
    app.router.add_get("/notes/{id}", note)
    return app


async def main():
    # Bind first, so that the actor's ids can carry the port.
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    peer = Peer(f"http://localhost:{port}")
    await peer.client.init()
    runner = web.AppRunner(app_for(peer))
    await runner.setup()
    await web.SockSite(runner, sock).start()
    ready = {
        "port": port,
        "actor": peer.actor_id,
        "handle": f"{USER}@localhost:{port}",
        "shared_inbox": peer.profile["endpoints"]["sharedInbox"],
    }
    print(json.dumps(ready), flush=True)
    await asyncio.Event().wait()


if __name__ == "__main__":
    asyncio.run(main())
