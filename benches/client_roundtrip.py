"""Round trip from a Mastodon app to a follower: Mastodon.py posts a status on perch A, and the
time until it is on the home timeline of perch B (which follows A) is measured, 30 times.
Run by benches/client_roundtrip.sh, which starts both release instances on loopback."""
import time, statistics, sys
from mastodon import Mastodon
A, B = sys.argv[1], sys.argv[2]
def login(base):
    cid, sec = Mastodon.create_app("rt", api_base_url=base, scopes=["read","write","follow"])
    m = Mastodon(client_id=cid, client_secret=sec, api_base_url=base)
    m.log_in(username="me", password="pw-for-roundtrip", scopes=["read","write","follow"], allow_http=True)
    return m
a, b = login(A), login(B)
acc = b.search_v2("@me@" + A.split("://")[1], resolve=True)["accounts"][0]
b.account_follow(acc["id"])
while not b.account_relationships(acc["id"])[0]["following"]:
    time.sleep(0.05)
times = []
for i in range(30):
    t0 = time.monotonic()
    s = a.status_post(f"Round trip {i}")
    posted = time.monotonic() - t0
    while True:
        home = b.timeline_home(limit=5)
        if any(x["uri"] == s["uri"] for x in home):
            break
        time.sleep(0.005)
    times.append((time.monotonic() - t0, posted))
rt = sorted(t for t, _ in times)
po = sorted(p for _, p in times)
print(f"{len(rt)} posts: round trip median {statistics.median(rt)*1000:.1f} ms, p90 {rt[int(len(rt)*0.9)]*1000:.1f} ms; POST /api/v1/statuses alone median {statistics.median(po)*1000:.1f} ms")
