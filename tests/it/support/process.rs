//! The `perch` binary run as a self-hoster runs it: `perch serve` as a child process, other
//! commands beside it, each on one test directory's configuration and database. Shared by the
//! integration tests and the benchmarks (which include this file by path).

use std::{
    io::{BufRead, BufReader},
    process::{Child, Command, Output, Stdio},
};

/// `perch` with the config of one test instance, given by environment variables.
pub fn perch(dir: &std::path::Path, domain: &str) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_perch"));
    cmd.env_clear()
        .env("PERCH__FEDERATION__DEBUG", "true")
        .env("PERCH__SERVER__DATA_DIR", dir)
        .env("PERCH__SERVER__DOMAIN", domain)
        .env("PERCH__SERVER__BIND", "127.0.0.1:0")
        .env("PERCH__SERVER__WORKERS", "1")
        .env("PERCH__DELIVERY__POLL_INTERVAL_MS", "50")
        .env("RUST_LOG", "info");
    if let Some(url) = super::database::url_for(dir) {
        cmd.env("PERCH__DATABASE__URL", url);
    }
    cmd
}

pub fn ok(output: Output) -> String {
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(
        output.status.success(),
        "perch failed ({}): {stdout}\n{}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    stdout
}

/// A `perch serve` child process, killed when dropped.
pub struct Served(Child);

impl Served {
    /// The process id, for reading its memory in /proc.
    pub fn pid(&self) -> u32 {
        self.0.id()
    }

    /// `kill -9`: SIGKILL, no shutdown of any kind (std's `Child::kill` on Unix).
    pub fn kill_9(mut self) {
        self.0.kill().expect("kill -9");
        self.0.wait().expect("reaped");
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts `perch serve` on `port` (0: a free one), known as localhost:PORT, with `env` on top
/// of the test config, and reads the port it reports.
pub fn serve(dir: &std::path::Path, port: u16, env: &[(&str, &str)]) -> (Served, u16) {
    let mut cmd = perch(dir, &format!("localhost:{port}"));
    cmd.env("PERCH__SERVER__BIND", format!("127.0.0.1:{port}"))
        .envs(env.iter().copied())
        .arg("serve")
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("spawn perch serve");
    let stderr = child.stderr.take().expect("stderr");
    let served = Served(child);
    let mut lines = BufReader::new(stderr).lines();
    let port = loop {
        let line = lines
            .next()
            .expect("perch serve ended early")
            .expect("line");
        if let Some(rest) = line.split(" serving http://localhost:").nth(1) {
            break rest
                .split('/')
                .next()
                .expect("port")
                .parse()
                .expect("port number");
        }
    };
    // Keep draining the log so the child never blocks on a full pipe.
    std::thread::spawn(move || for _ in lines {});
    (served, port)
}
