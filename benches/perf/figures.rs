//! The figures of one run, and the table they print as: each beside the limit it is measured
//! against in the same run, and the target for it.

use super::{limits::Limits, load::Latencies};

/// One note sent to every follower.
#[derive(Debug, Clone)]
pub struct Fanout {
    pub followers: usize,
    pub inboxes: usize,
    /// Inboxes that received the note with a signature that verified.
    pub verified: usize,
    /// Deliveries whose signature did not verify.
    pub refused: usize,
    /// From the API call that published the note to the last verified delivery.
    pub seconds: f64,
    pub peak_rss_mib: f64,
}

impl Fanout {
    pub fn per_s(&self) -> f64 {
        self.verified as f64 / self.seconds
    }
}

/// Signed activities POSTed to the shared inbox at once by many remote actors.
#[derive(Debug, Clone)]
pub struct Burst {
    pub what: String,
    pub sent: usize,
    pub accepted: usize,
    pub seconds: f64,
    /// An article page the burst does not touch, read one request at a time during it.
    pub page: Latencies,
    pub peak_rss_mib: f64,
}

impl Burst {
    pub fn per_s(&self) -> f64 {
        self.accepted as f64 / self.seconds
    }
}

#[derive(Debug, Clone, Copy, Default)]
pub struct Memory {
    pub idle_mib: f64,
    /// Of which anonymous (heap, stacks); the rest is mapped text.
    pub idle_anon_mib: f64,
    /// After the first tenth of the mixed load, and at its end.
    pub soak_start_mib: f64,
    pub soak_end_mib: f64,
    pub soak_seconds: f64,
}

/// Database bytes in use per row of each kind (with its indexes and the rows that come with
/// it: a note's activity, a comment's actor).
#[derive(Debug, Clone, Copy, Default)]
pub struct Storage {
    pub per_note: f64,
    pub per_comment: f64,
    pub per_delivery: f64,
    pub per_follower: f64,
}

#[derive(Debug, Clone)]
pub struct Report {
    pub limits: Limits,
    /// The first is the main instance's (the one the rest of the figures come from).
    pub fanouts: Vec<Fanout>,
    pub idle_page: Latencies,
    pub bursts: Vec<Burst>,
    /// Replies sent, and the comments the API then lists under their posts.
    pub replies_sent: usize,
    pub comments_listed: usize,
    /// The first is the static route the others are set against.
    pub reads: Vec<(String, Latencies)>,
    pub memory: Memory,
    pub storage: Storage,
}

fn verdict(met: bool) -> &'static str {
    if met {
        "met"
    } else {
        "MISSED"
    }
}

impl Report {
    /// The table, one line per figure.
    pub fn lines(&self) -> Vec<String> {
        let l = &self.limits;
        let mut out = vec![format!(
            "limits: {} cores; RSA-2048 {:.0} signatures/s and {:.0} verifications/s on all of them",
            l.cores, l.sign_per_s, l.verify_per_s
        )];
        for f in &self.fanouts {
            let ratio = f.per_s() / l.sign_per_s;
            out.push(format!(
                "fan-out  F={:>6} I={:>6}: {}/{} inboxes verified ({} refused) in {:>7.2} s = {:>7.0} deliveries/s = {:.2} x signing [target >= 0.80: {}]; peak RSS {:.1} MiB",
                f.followers, f.inboxes, f.verified, f.inboxes, f.refused, f.seconds, f.per_s(), ratio,
                verdict(ratio >= 0.80), f.peak_rss_mib
            ));
        }
        let mut by_size: Vec<&Fanout> = self.fanouts.iter().collect();
        by_size.sort_by_key(|f| f.inboxes);
        if let [first, .., last] = by_size.as_slice() {
            out.push(format!(
                "fan-out growth: {} -> {} inboxes takes {:.2} x the time for {:.1} x the inboxes [linear: {:.2}]",
                first.inboxes,
                last.inboxes,
                last.seconds / first.seconds,
                last.inboxes as f64 / first.inboxes as f64,
                (last.seconds / first.seconds) / (last.inboxes as f64 / first.inboxes as f64)
            ));
        }
        out.push(format!(
            "inbox: an article page (no comments) idle p50 {:.2} ms, p99 {:.2} ms",
            self.idle_page.p50_ms, self.idle_page.p99_ms
        ));
        for b in &self.bursts {
            let ratio = b.per_s() / l.verify_per_s;
            let slow = b.page.p99_ms / self.idle_page.p99_ms;
            out.push(format!(
                "inbox {:<28}: {}/{} accepted in {:>6.2} s = {:>6.0}/s = {:.2} x verifying [target >= 0.50: {}]; page p99 {:.2} ms = {:.1} x idle [target <= 5: {}] ({} page reads); peak RSS {:.1} MiB",
                b.what, b.accepted, b.sent, b.seconds, b.per_s(), ratio, verdict(ratio >= 0.5),
                b.page.p99_ms, slow, verdict(slow <= 5.0), b.page.requests, b.peak_rss_mib
            ));
        }
        out.push(format!(
            "inbox: {} replies sent, {} listed as comments by the API",
            self.replies_sent, self.comments_listed
        ));
        let base = self.reads.first().map_or(1.0, |(_, r)| r.per_s);
        let no_comments = self
            .reads
            .iter()
            .find(|(n, _)| n.starts_with("article, 0 "))
            .map_or(1.0, |(_, r)| r.per_s);
        for (name, r) in &self.reads {
            let ratio = r.per_s / base;
            let target = if name.starts_with("static") {
                String::new()
            } else if name == "WebFinger" || name == "actor" {
                format!(" [target >= 0.50: {}]", verdict(ratio >= 0.5))
            } else {
                format!(" [target >= 0.25: {}]", verdict(ratio >= 0.25))
            };
            let mut line = format!(
                "read {name:<28}: {:>7.0} req/s = {ratio:.2} x static{target}; p50 {:.2} ms, p99 {:.2} ms ({} requests, {} errors)",
                r.per_s, r.p50_ms, r.p99_ms, r.requests, r.errors
            );
            if name.starts_with("article, ") && !name.starts_with("article, 0 ") {
                let vs = r.per_s / no_comments;
                line.push_str(&format!(
                    "; {vs:.2} x the article with none [target >= 0.25: {}]",
                    verdict(vs >= 0.25)
                ));
            }
            out.push(line);
        }
        let m = &self.memory;
        let main_peak = self.fanouts.first().map_or(0.0, |f| f.peak_rss_mib);
        out.push(format!(
            "memory: idle {:.1} MiB [target <= 15: {}] (anonymous {:.1} MiB, the rest mapped text of the binary and its libraries); main fan-out peak {:.1} MiB [target <= 60: {}]; mixed load for {:.0} s: {:.1} -> {:.1} MiB = {:.2} x [flat: {}]",
            m.idle_mib, verdict(m.idle_mib <= 15.0), m.idle_anon_mib, main_peak, verdict(main_peak <= 60.0),
            m.soak_seconds, m.soak_start_mib, m.soak_end_mib, m.soak_end_mib / m.soak_start_mib,
            verdict(m.soak_end_mib <= m.soak_start_mib * 1.10)
        ));
        let s = &self.storage;
        out.push(format!(
            "storage: {:.0} bytes per note, {:.0} per comment, {:.0} per delivery row, {:.0} per follower",
            s.per_note, s.per_comment, s.per_delivery, s.per_follower
        ));
        out
    }
}
