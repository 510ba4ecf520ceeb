"""The author's app, played by Mastodon.py against two real perch instances.

Started by tests/it/client.rs with PERCH_A / PERCH_B (base URLs), PERCH_A_PASSWORD /
PERCH_B_PASSWORD, and PERCH_NOTE / PERCH_ARTICLE (passages of the sample blog export). A is the author's perch (comments
held for approval); B is a second perch whose author follows A and comments on A's posts.
Every step asserts on what the API returned; the first failed assertion fails the test.
"""

import html
import os
import re
import struct
import sys
import time
import zlib

import requests
from mastodon import (
    Mastodon,
    MastodonAPIError,
    MastodonIllegalArgumentError,
    MastodonNotFoundError,
    MastodonUnauthorizedError,
)

A = os.environ["PERCH_A"]
B = os.environ["PERCH_B"]
SCOPES = ["read", "write", "follow", "push"]
CALLBACK = "org.perch.test:/callback"
OOB = "urn:ietf:wg:oauth:2.0:oob"


def step(text):
    print(f"- {text}", flush=True)


def eventually(what, check, timeout=20.0):
    """Polls `check` until it returns something truthy."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.1)


def seed_texts():
    """A note and an article from the sample blog export (tests/it/support/seed.rs)."""
    return os.environ["PERCH_NOTE"] + " #blogging", os.environ["PERCH_ARTICLE"]


def png(width=3, height=2):
    """A small PNG, made by hand (no imaging library needed), with a text chunk."""
    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))
    raw = b"".join(b"\x00" + b"\x80\x40\x20" * width for _ in range(height))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
        + chunk(b"tEXt", b"Comment\x00taken at home")
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def app(base, scopes=SCOPES):
    cid, secret = Mastodon.create_app(
        "perch test suite", api_base_url=base, scopes=scopes,
        redirect_uris=[OOB, CALLBACK], website="https://example.org/app",
    )
    return Mastodon(client_id=cid, client_secret=secret, api_base_url=base)


def login_form(session, url, password, decision="allow"):
    """Opens the login page, fills in the password, sends the form; returns the answer."""
    page = session.get(url)
    assert page.status_code == 200, page.text
    assert "Log in to" in page.text and "perch test suite" in page.text
    form = dict(
        (html.unescape(n), html.unescape(v))
        for n, v in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page.text)
    )
    action = html.unescape(re.search(r'<form class="login__form" method="post" action="([^"]+)"', page.text).group(1))
    form.update(password=password, decision=decision)
    return session.post(action, data=form, allow_redirects=False)


def main():
    note_text, article_text = seed_texts()
    pw_a, pw_b = os.environ["PERCH_A_PASSWORD"], os.environ["PERCH_B_PASSWORD"]

    step("register an app and log in with the password grant")
    a = app(A)
    token = a.log_in(username="me", password=pw_a, scopes=SCOPES, allow_http=True)
    assert token
    try:
        app(A).log_in(username="me", password="wrong", scopes=SCOPES, allow_http=True)
        raise AssertionError("a wrong password was accepted")
    except MastodonIllegalArgumentError:
        pass

    step("log in through the HTML form: authorization code to an app scheme, and out of band")
    coded = app(A)
    url = coded.auth_request_url(redirect_uris=CALLBACK, scopes=SCOPES, state="xyz", allow_http=True)
    answer = login_form(requests.Session(), url, pw_a)
    assert answer.status_code == 302, answer.text
    location = answer.headers["Location"]
    assert location.startswith(CALLBACK + "?code="), location
    assert "state=xyz" in location
    code = re.search(r"code=([^&]+)", location).group(1)
    assert coded.log_in(code=code, redirect_uri=CALLBACK, scopes=SCOPES, allow_http=True)
    assert coded.account_verify_credentials()["username"] == "me"
    oob = app(A)
    page = login_form(requests.Session(), oob.auth_request_url(scopes=SCOPES, allow_http=True), pw_a)
    shown = re.search(r'<output class="login__code">([^<]+)</output>', page.text).group(1)
    assert oob.log_in(code=shown, scopes=SCOPES, allow_http=True)
    wrong = login_form(requests.Session(), oob.auth_request_url(scopes=SCOPES, allow_http=True), "nope")
    assert wrong.status_code == 401 and "not right" in wrong.text
    denied = login_form(requests.Session(), coded.auth_request_url(redirect_uris=CALLBACK, scopes=SCOPES, allow_http=True), "", "deny")
    assert "error=access_denied" in denied.headers["Location"]

    step("verify credentials")
    me = a.account_verify_credentials()
    assert me["username"] == "me" and me["acct"] == "me"
    assert "source" in me and me["source"]["privacy"] == "public"
    for picture in (me["avatar"], me["header"]):
        assert requests.get(picture).headers["Content-Type"] == "image/png"
    assert isinstance(me["id"], str) or isinstance(me["id"], int)

    step("read instance v1 and v2")
    v1 = a.instance_v1()
    assert v1["version"].startswith("4.3.0 (compatible; perch"), v1["version"]
    v2 = a.instance_v2()
    assert v2["domain"] == A.split("://")[1]
    assert v2["configuration"]["statuses"]["max_characters"] > 0

    step("the second instance's author follows the first (round trip timed below)")
    b = app(B)
    b.log_in(username="me", password=pw_b, scopes=SCOPES, allow_http=True)
    a_on_b = b.search_v2("@me@" + A.split("://")[1], resolve=True)["accounts"][0]
    b.account_follow(a_on_b["id"])
    eventually("B following A", lambda: b.account_relationships(a_on_b["id"])[0]["following"])

    step("edit the profile from the app; the follower's server and the web page show it")
    edited_me = a.account_update_credentials(
        display_name="Mira", note="Streams, queues and the odd blog post.",
        fields=[("Blog", "https://example.org/")], avatar=png(8, 8), avatar_mime_type="image/png",
    )
    assert edited_me["display_name"] == "Mira" and "Streams, queues" in edited_me["note"]
    assert edited_me["fields"][0]["name"] == "Blog"
    assert 'href="https://example.org/"' in edited_me["fields"][0]["value"]
    assert edited_me["source"]["note"] == "Streams, queues and the odd blog post."
    assert requests.get(edited_me["avatar"]).status_code == 200
    assert "Mira" in requests.get(A + "/", headers={"Accept": "text/html"}).text
    eventually("the new name on B", lambda: b.account(a_on_b["id"])["display_name"] == "Mira")

    step("post a note")
    started = time.monotonic()
    note = a.status_post(note_text, language="en")
    assert note["language"] == "en"
    assert "#blogging" in html.unescape(re.sub("<[^>]+>", "", note["content"]))
    assert note["visibility"] == "public" and note["account"]["username"] == "me"
    assert [t["name"] for t in note["tags"]] == ["blogging"]
    on_b = eventually("the note on B's home timeline", lambda: [s for s in b.timeline_home() if s["uri"] == note["uri"]])
    print(f"  round trip: post from the client -> delivered to the follower instance in {time.monotonic() - started:.3f} s", flush=True)
    assert on_b[0]["account"]["acct"] == "me@" + A.split("://")[1]
    assert on_b[0]["language"] == "en"

    step("post an article (a `# Title` first line)")
    article = a.status_post(article_text)
    assert article["content"].startswith("<h1>Notes from the First Kafka Summit</h1>"), article["content"][:80]
    assert "<h2>" in article["content"] and "<li>" in article["content"]
    served = requests.get(article["uri"], headers={"Accept": "application/activity+json"}).json()
    assert served["type"] == "Article" and served["name"] == "Notes from the First Kafka Summit"

    step("upload an image with a description and post it")
    media = a.media_post(png(), mime_type="image/png", description="A heron on one leg", focus=(0.5, -0.25))
    assert media["type"] == "image" and media["description"] == "A heron on one leg"
    assert media["meta"]["focus"]["x"] == 0.5
    updated = a.media_update(media["id"], description="A grey heron on one leg")
    assert updated["description"] == "A grey heron on one leg"
    photo = a.status_post("At the pond", media_ids=[media["id"]], visibility="unlisted")
    assert photo["media_attachments"][0]["description"] == "A grey heron on one leg"
    assert photo["visibility"] == "unlisted"
    image = requests.get(photo["media_attachments"][0]["url"])
    assert image.status_code == 200 and b"taken at home" not in image.content

    step("edit, then read history and source")
    edited = a.status_update(note["id"], status=note_text + " (edited)", spoiler_text="meta")
    assert "(edited)" in edited["content"] and edited["edited_at"] and edited["spoiler_text"] == "meta"
    history = a.status_history(note["id"])
    assert len(history) == 2 and "(edited)" not in history[0]["content"] and "(edited)" in history[1]["content"]
    source = a.status_source(note["id"])
    assert source["text"] == note_text + " (edited)" and source["spoiler_text"] == "meta"

    step("delete (the answer carries the text for redrafting)")
    doomed = a.status_post("A post to delete")
    gone = a.status_delete(doomed["id"])
    assert gone["text"] == "A post to delete"
    try:
        a.status(doomed["id"])
        raise AssertionError("a deleted status is still there")
    except MastodonNotFoundError:
        pass

    step("home and public timelines, paged with Link headers")
    for i in range(3):
        a.status_post(f"Timeline filler {i}")
    first = a.timeline_home(limit=2)
    assert len(first) == 2
    second = a.fetch_next(first)
    assert second and len(second) == 2
    ids = [int(s["id"]) for s in list(first) + list(second)]
    assert ids == sorted(ids, reverse=True) and len(set(ids)) == 4
    newer = a.timeline_home(min_id=ids[-1], limit=40)
    assert int(newer[-1]["id"]) > ids[-1]
    public = Mastodon(api_base_url=A).timeline_public(limit=40)
    uris = [s["uri"] for s in public]
    assert article["uri"] in uris and photo["uri"] not in uris  # unlisted stays off it

    step("a comment from the second instance arrives: notification, held, approved by favouriting")
    article_on_b = b.search_v2(article["uri"], resolve=True)["statuses"][0]
    snapshot = b.media_post(png(4, 4), mime_type="image/png", description="My notes from the day")
    comment_b = b.status_post("Great notes, thank you!", in_reply_to_id=article_on_b["id"], media_ids=[snapshot["id"]])
    mention = eventually("the mention notification", lambda: [
        n for n in a.notifications(types=["mention"]) if n["status"] and "Great notes" in n["status"]["content"]
    ])[0]
    comment = mention["status"]
    assert mention["account"]["acct"] == "me@" + B.split("://")[1]
    assert comment["in_reply_to_id"] == article["id"]
    their_image = comment["media_attachments"][0]
    assert their_image["description"] == "My notes from the day"
    expect_status(lambda: a.status_post("not my picture", media_ids=[their_image["id"]]), 422)
    context = a.status_context(article["id"])
    assert [s["id"] for s in context["descendants"]] == [comment["id"]]
    anonymous = Mastodon(api_base_url=A)
    assert anonymous.status_context(article["id"])["descendants"] == []  # held for approval
    approved = a.status_favourite(comment["id"])
    assert approved["favourited"]
    assert [s["id"] for s in anonymous.status_context(article["id"])["descendants"]] == [comment["id"]]

    step("answer the comment; the second instance sees the reply, its edit and its delete")
    reply = a.status_post("Glad it helped!", in_reply_to_id=comment["id"])
    assert reply["in_reply_to_id"] == comment["id"]
    reply_on_b = eventually("the reply on B", lambda: [
        n["status"] for n in b.notifications(types=["mention"]) if n["status"] and n["status"]["uri"] == reply["uri"]
    ])[0]
    a.status_update(reply["id"], status="Glad it helped! More soon.")
    eventually("the edit on B", lambda: "More soon" in b.status(reply_on_b["id"])["content"])
    a.status_delete(reply["id"])

    def deleted_on_b():
        try:
            b.status(reply_on_b["id"])
            return False
        except MastodonNotFoundError:
            return True
    eventually("the delete on B", deleted_on_b)

    step("hide a comment by deleting it")
    second_comment = b.status_post("A second thought", in_reply_to_id=article_on_b["id"])
    held = eventually("the second comment", lambda: [
        n["status"] for n in a.notifications(types=["mention"]) if n["status"] and "second thought" in n["status"]["content"]
    ])[0]
    a.status_favourite(held["id"])
    assert len(anonymous.status_context(article["id"])["descendants"]) == 2
    a.status_delete(held["id"])
    assert [s["id"] for s in anonymous.status_context(article["id"])["descendants"]] == [comment["id"]]
    page = requests.get(article["url"], headers={"Accept": "text/html"}).text
    assert "Great notes" in page and "second thought" not in page

    step("follow an account on the second instance, which is locked: it approves the request")
    assert b.account_update_credentials(locked=True)["locked"]
    b_on_a = a.search_v2("@me@" + B.split("://")[1], resolve=True)["accounts"][0]
    rel = a.account_follow(b_on_a["id"])
    assert rel["requested"] or rel["following"]
    request = eventually("the follow request on B", lambda: b.follow_requests())[0]
    assert request["acct"] == "me@" + A.split("://")[1]
    assert b.follow_request_authorize(request["id"])["followed_by"]
    eventually("A following B", lambda: a.account_relationships(b_on_a["id"])[0]["following"])
    b.status_post("Hello from the second instance")
    eventually("B's post on A's home timeline", lambda: [
        s for s in a.timeline_home() if "Hello from the second instance" in s["content"]
    ])

    step("Mastodon's errors")
    try:
        Mastodon(api_base_url=A).timeline_home()
        raise AssertionError("no token was accepted")
    except MastodonUnauthorizedError:
        pass
    reader = app(A, scopes=["read"])
    reader.log_in(username="me", password=pw_a, scopes=["read"], allow_http=True)
    expect_status(lambda: reader.status_post("not allowed"), 403)
    expect_status(lambda: a.status("999999"), 404)
    expect_status(lambda: a.status_post(""), 422)
    import datetime
    later = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(days=3)
    expect_status(lambda: a.status_post("for later", scheduled_at=later), 422)
    expect_status(lambda: a.status_post("reusing media", media_ids=[media["id"]]), 422)
    expect_status(lambda: a.status_post("unknown media", media_ids=["424242"]), 422)
    raw = requests.post(A + "/api/v1/statuses", data={"status": "x"})
    assert raw.status_code == 401 and "error" in raw.json()

    more(a, b, article, comment, b_on_a, pw_a)
    print("all steps passed", flush=True)


def more(a, b, article, comment, b_on_a, pw_a):
    step("boosts and likes of a remote post, and who did them")
    remote_post = [s for s in a.timeline_home() if "Hello from the second instance" in s["content"]][0]
    boosted = a.status_reblog(remote_post["id"])
    assert boosted["reblogged"] or (boosted.get("reblog") or {}).get("reblogged")
    assert [x["acct"] for x in a.status_reblogged_by(remote_post["id"])] == ["me"]
    liked = a.status_favourite(remote_post["id"])
    assert liked["favourited"] and liked["favourites_count"] == 1
    assert [x["acct"] for x in a.status_favourited_by(remote_post["id"])] == ["me"]
    assert remote_post["id"] in [s["id"] for s in a.favourites()]
    assert not a.status_unfavourite(remote_post["id"])["favourited"]
    assert not a.status_unreblog(remote_post["id"])["reblogged"]

    step("Idempotency-Key posts once; Markdown notes; the tag timeline")
    once = a.status_post("Posted once", idempotency_key="perch-test-1")
    again = a.status_post("Posted once", idempotency_key="perch-test-1")
    assert once["id"] == again["id"]
    md = a.status_post("Some **bold** words and `code` #streams", content_type="text/markdown")
    assert "<strong>bold</strong>" in md["content"] and "<code>code</code>" in md["content"]
    tagged = Mastodon(api_base_url=A).timeline_hashtag("streams")
    assert [s["id"] for s in tagged] == [md["id"]]

    step("notifications: unread count, markers, dismiss, clear")
    notes = a.notifications()
    assert notes and a.notifications_unread_count()["count"] >= len(notes)
    a.markers_set(["notifications"], [notes[0]["id"]])
    assert a.markers_get(["notifications"])["notifications"]["last_read_id"] == str(notes[0]["id"])
    assert a.notifications_unread_count()["count"] == 0
    grouped = a.grouped_notifications()
    assert len(grouped["notification_groups"]) == min(len(notes), 15) and grouped["accounts"]
    assert grouped["notification_groups"][0]["most_recent_notification_id"] == notes[0]["id"] or \
        str(grouped["notification_groups"][0]["most_recent_notification_id"]) == str(notes[0]["id"])
    a.notifications_dismiss(notes[-1]["id"])
    assert notes[-1]["id"] not in [n["id"] for n in a.notifications(limit=30)]
    a.notifications_clear()
    assert a.notifications() == []

    step("blocking an account and a domain from the app")
    assert a.account_block(b_on_a["id"])["blocking"]
    assert [x["id"] for x in a.blocks()] == [b_on_a["id"]]
    assert not a.account_unblock(b_on_a["id"])["blocking"]
    a.domain_block("spam.example")
    assert a.domain_blocks() == ["spam.example"]
    a.domain_unblock("spam.example")
    assert a.domain_blocks() == []

    step("what apps call at start-up answers, empty where perch has nothing")
    for call in (a.custom_emojis, a.lists, a.filters, a.announcements, a.trends, a.bookmarks,
                 a.conversations, a.followed_tags, a.preferences):
        call()
    for path in ("/api/v1/lists", "/api/v2/filters", "/api/v1/mutes", "/api/v2/suggestions",
                 "/api/v1/featured_tags", "/api/v1/instance/peers", "/api/v1/notifications/unread_count",
                 "/api/v1/scheduled_statuses", "/api/v1/endorsements", "/api/v1/directory",
                 "/api/v1/instance/extended_description", "/api/v1/instance/translation_languages",
                 "/api/v1/accounts/familiar_followers", "/api/v2/notifications/policy"):
        r = requests.get(A + path, headers={"Authorization": "Bearer " + a.access_token})
        assert r.status_code == 200, (path, r.status_code)

    step("CORS for browser apps")
    pre = requests.options(A + "/api/v1/timelines/home", headers={
        "Origin": "https://elk.example", "Access-Control-Request-Method": "GET",
        "Access-Control-Request-Headers": "authorization"})
    assert pre.status_code == 200 and pre.headers["Access-Control-Allow-Origin"] in ("*", "https://elk.example")

    step("PKCE, client credentials and revocation")
    import base64, hashlib, secrets, urllib.parse
    pkce = app(A)
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    url = pkce.auth_request_url(redirect_uris=CALLBACK, scopes=SCOPES, allow_http=True) + "&" + urllib.parse.urlencode(
        {"code_challenge": challenge, "code_challenge_method": "S256"})
    code = re.search(r"code=([^&]+)", login_form(requests.Session(), url, pw_a).headers["Location"]).group(1)
    token_url = A + "/oauth/token"
    base = {"grant_type": "authorization_code", "code": code, "redirect_uri": CALLBACK,
            "client_id": pkce.client_id, "client_secret": pkce.client_secret}
    wrong = requests.post(token_url, data=dict(base, code_verifier="not-the-verifier"))
    assert wrong.status_code == 400 and wrong.json()["error"] == "invalid_grant"
    code = re.search(r"code=([^&]+)", login_form(requests.Session(), url, pw_a).headers["Location"]).group(1)
    right = requests.post(token_url, data=dict(base, code=code, code_verifier=verifier))
    assert right.status_code == 200, right.text
    reused = requests.post(token_url, data=dict(base, code=code, code_verifier=verifier))
    assert reused.status_code == 400  # a code works once
    cc = requests.post(token_url, data={"grant_type": "client_credentials", "client_id": pkce.client_id,
                                        "client_secret": pkce.client_secret, "scope": "read"}).json()
    app_only = Mastodon(access_token=cc["access_token"], api_base_url=A)
    assert app_only.app_verify_credentials()["name"] == "perch test suite"
    expect_status(app_only.account_verify_credentials, 422)
    pkce.access_token = right.json()["access_token"]
    assert pkce.account_verify_credentials()["username"] == "me"
    pkce.revoke_access_token(allow_http=True)
    try:
        Mastodon(access_token=right.json()["access_token"], api_base_url=A).account_verify_credentials()
        raise AssertionError("a revoked token still works")
    except MastodonUnauthorizedError:
        pass


def expect_status(call, status):
    try:
        call()
    except MastodonAPIError as e:
        assert e.args[1] == status, f"expected {status}, got {e.args}"
        return
    raise AssertionError(f"expected an error {status}")


if __name__ == "__main__":
    try:
        main()
    except Exception:
        import traceback
        traceback.print_exc()
        sys.exit(1)
