//! A server that misbehaves on purpose, on loopback: it sends a body without end, never
//! answers, trickles a byte at a time, or redirects. It counts connections and bytes sent,
//! so a test can tell that perch hung up (or never came).

use std::{
    io::{Read, Write},
    net::{TcpListener, TcpStream},
    sync::{
        atomic::{AtomicU64, AtomicUsize, Ordering},
        Arc,
    },
    time::Duration,
};

#[derive(Clone)]
pub enum Behaviour {
    /// 200 with an ActivityStreams content type and a body that never ends.
    EndlessBody,
    /// Reads the request and never answers.
    Silent,
    /// 200, then one byte of body every 100 ms, forever.
    Trickle,
    /// 302 to this URL.
    Redirect(String),
}

pub struct Hostile {
    pub port: u16,
    connections: Arc<AtomicUsize>,
    bytes_sent: Arc<AtomicU64>,
    /// Connections the client has hung up on (a write failed).
    hung_up: Arc<AtomicUsize>,
}

impl Hostile {
    pub fn start(behaviour: Behaviour) -> Hostile {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let port = listener.local_addr().expect("addr").port();
        let connections = Arc::new(AtomicUsize::new(0));
        let bytes_sent = Arc::new(AtomicU64::new(0));
        let hung_up = Arc::new(AtomicUsize::new(0));
        let (c, b, h) = (connections.clone(), bytes_sent.clone(), hung_up.clone());
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                c.fetch_add(1, Ordering::SeqCst);
                let (behaviour, b, h) = (behaviour.clone(), b.clone(), h.clone());
                std::thread::spawn(move || {
                    if !serve(stream, &behaviour, &b) {
                        h.fetch_add(1, Ordering::SeqCst);
                    }
                });
            }
        });
        Hostile {
            port,
            connections,
            bytes_sent,
            hung_up,
        }
    }

    /// `http://localhost:PORT{path}`
    pub fn url(&self, path: &str) -> String {
        format!("http://localhost:{}{path}", self.port)
    }

    pub fn connections(&self) -> usize {
        self.connections.load(Ordering::SeqCst)
    }

    pub fn bytes_sent(&self) -> u64 {
        self.bytes_sent.load(Ordering::SeqCst)
    }

    pub fn hung_up(&self) -> usize {
        self.hung_up.load(Ordering::SeqCst)
    }
}

/// Answers one connection; `false` when the client hung up while it was being written to.
fn serve(mut stream: TcpStream, behaviour: &Behaviour, sent: &AtomicU64) -> bool {
    let mut head = [0u8; 4096];
    let _ = stream.read(&mut head);
    let mut write = |bytes: &[u8]| -> bool {
        let ok = stream.write_all(bytes).is_ok();
        if ok {
            sent.fetch_add(bytes.len() as u64, Ordering::SeqCst);
        }
        ok
    };
    let ok_head =
        b"HTTP/1.1 200 OK\r\ncontent-type: application/activity+json\r\nconnection: close\r\n\r\n";
    match behaviour {
        Behaviour::EndlessBody => {
            let chunk = [b' '; 16 * 1024];
            write(ok_head) && loop {
                if !write(&chunk) {
                    break false;
                }
            }
        }
        Behaviour::Silent => {
            std::thread::sleep(Duration::from_secs(60));
            true
        }
        Behaviour::Trickle => {
            write(ok_head) && loop {
                if !write(b" ") {
                    break false;
                }
                std::thread::sleep(Duration::from_millis(100));
            }
        }
        Behaviour::Redirect(to) => write(
            format!("HTTP/1.1 302 Found\r\nlocation: {to}\r\ncontent-length: 0\r\nconnection: close\r\n\r\n")
                .as_bytes(),
        ),
    }
}
