//! What perch may connect to. Outside debug mode, a host that came from the network is never
//! reached when it resolves to a loopback, private, link-local, multicast or otherwise
//! non-public address (IPv4 and IPv6: IPv4-mapped, IPv4-compatible and site-local included,
//! 6to4 by the IPv4 address it carries): the check sits in the DNS
//! resolver of every HTTP client, so it holds after resolution, for every connection.

use std::{
    net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr},
    sync::Arc,
    time::Duration,
};

/// Whether `ip` is an address on the public internet.
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => is_public_v4(v4),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => is_public_v4(v4),
            None => is_public_v6(v6),
        },
    }
}

fn is_public_v4(ip: Ipv4Addr) -> bool {
    let [a, b, c, _] = ip.octets();
    !(ip.is_private()
        || ip.is_loopback()
        || ip.is_link_local()
        || ip.is_broadcast()
        || ip.is_documentation()
        || ip.is_unspecified()
        || ip.is_multicast()
        || a == 0
        || (a == 100 && (64..128).contains(&b)) // shared address space (CGNAT)
        || (a == 192 && b == 0 && c == 0) // IETF protocol assignments
        || (a == 198 && (18..20).contains(&b)) // benchmarking
        || a >= 240) // reserved
}

fn is_public_v6(ip: Ipv6Addr) -> bool {
    let s = ip.segments();
    if s[0] == 0x2002 {
        // 6to4: the IPv4 address in bits 16–48 is where the relay sends it.
        let v4 = Ipv4Addr::new((s[1] >> 8) as u8, s[1] as u8, (s[2] >> 8) as u8, s[2] as u8);
        return is_public_v4(v4);
    }
    !(ip.is_loopback()
        || s[..6].iter().all(|&x| x == 0) // ::/96, IPv4-compatible (deprecated), and :: and ::1
        || (s[0] & 0xffc0) == 0xfec0 // site local (deprecated, still routed inside some sites)
        || ip.is_unspecified()
        || ip.is_multicast()
        || (s[0] & 0xfe00) == 0xfc00 // unique local
        || (s[0] & 0xffc0) == 0xfe80 // link local
        || (s[0] == 0x2001 && s[1] == 0x0db8) // documentation
        || (s[0] == 0x0064 && s[1] == 0xff9b)) // NAT64, which can reach private IPv4
}

/// An address range: one address (`127.0.0.1`, `::1`) or a CIDR block (`172.16.0.0/12`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IpRange {
    base: IpAddr,
    prefix: u8,
}

impl IpRange {
    pub fn parse(text: &str) -> Result<IpRange, String> {
        let text = text.trim();
        let (addr, prefix) = match text.split_once('/') {
            Some((a, p)) => (a, Some(p)),
            None => (text, None),
        };
        let base: IpAddr = addr
            .trim_matches(|c| c == '[' || c == ']')
            .parse()
            .map_err(|_| format!("`{text}` is not an address or address/prefix"))?;
        let max = if base.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            None => max,
            Some(p) => p
                .parse::<u8>()
                .ok()
                .filter(|p| *p <= max)
                .ok_or_else(|| format!("`{text}`: the prefix must be 0 to {max}"))?,
        };
        Ok(IpRange { base, prefix })
    }

    pub fn contains(&self, ip: IpAddr) -> bool {
        let ip = match ip {
            IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
            v4 => v4,
        };
        match (self.base, ip) {
            (IpAddr::V4(b), IpAddr::V4(i)) => prefix_eq(
                u128::from(u32::from(b)),
                u128::from(u32::from(i)),
                32,
                self.prefix,
            ),
            (IpAddr::V6(b), IpAddr::V6(i)) => {
                prefix_eq(u128::from(b), u128::from(i), 128, self.prefix)
            }
            _ => false,
        }
    }
}

fn prefix_eq(a: u128, b: u128, bits: u8, prefix: u8) -> bool {
    let shift = u32::from(bits - prefix);
    shift >= 128 || (a >> shift) == (b >> shift)
}

/// The key that rate limits count a client under: an IPv4 address as it is, an IPv6 address
/// by its /64 (one subscriber's network: anyone gets a /64's worth of addresses).
pub fn client_key(ip: IpAddr) -> String {
    match ip {
        IpAddr::V6(v6) if v6.to_ipv4_mapped().is_none() => {
            let s = v6.segments();
            format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
        }
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4).to_string(),
        v4 => v4.to_string(),
    }
}

/// Refuses a URL whose host is an address literal that is not public (names go through the
/// resolver instead).
pub fn check_literal(url: &url::Url) -> Result<(), String> {
    let ip = match url.host() {
        Some(url::Host::Ipv4(v4)) => IpAddr::V4(v4),
        Some(url::Host::Ipv6(v6)) => IpAddr::V6(v6),
        _ => return Ok(()),
    };
    if is_public(ip) {
        Ok(())
    } else {
        Err(format!("{ip} is not a public address"))
    }
}

/// A resolver that keeps only public addresses; `trusted` (the configured proxy's name, if
/// any) resolves as it is.
struct PublicOnly {
    trusted: Option<String>,
}

/// The proxy a request is sent to when its target is refused: a name that never resolves
/// (RFC 6761), refused by [`PublicOnly`] with a message that says why.
const REFUSED_HOST: &str = "non-public-address-refused.invalid";

impl reqwest::dns::Resolve for PublicOnly {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let host = name.as_str().to_owned();
        let trusted = self.trusted.as_deref() == Some(host.as_str());
        Box::pin(async move {
            if host == REFUSED_HOST {
                let err: Box<dyn std::error::Error + Send + Sync> =
                    "the target resolves to no public address; refused (before the proxy)".into();
                return Err(err);
            }
            let found: Vec<SocketAddr> =
                tokio::net::lookup_host((host.as_str(), 0)).await?.collect();
            let public: Vec<SocketAddr> = found
                .into_iter()
                .filter(|a| trusted || is_public(a.ip()))
                .collect();
            if public.is_empty() {
                let err: Box<dyn std::error::Error + Send + Sync> =
                    format!("{host} resolves to no public address; refused").into();
                return Err(err);
            }
            Ok(Box::new(public.into_iter()) as reqwest::dns::Addrs)
        })
    }
}

/// Whether `url`'s host is public: an address literal as it is, a name by every address it
/// resolves to (a blocking look-up: the proxy resolves the name itself, so this is the only
/// look-up perch can check).
fn target_is_public(url: &url::Url) -> bool {
    match url.host() {
        Some(url::Host::Ipv4(v4)) => is_public(IpAddr::V4(v4)),
        Some(url::Host::Ipv6(v6)) => is_public(IpAddr::V6(v6)),
        Some(url::Host::Domain(name)) => {
            use std::net::ToSocketAddrs;
            let port = url.port_or_known_default().unwrap_or(443);
            match (name, port).to_socket_addrs() {
                Ok(addrs) => {
                    let addrs: Vec<SocketAddr> = addrs.collect();
                    !addrs.is_empty() && addrs.iter().all(|a| is_public(a.ip()))
                }
                Err(_) => false,
            }
        }
        None => false,
    }
}

/// The HTTP client for everything perch fetches and delivers: no redirects followed by
/// itself, a connect timeout, and (outside debug mode) public addresses only. The proxy
/// variables of the environment (`HTTP_PROXY`, `HTTPS_PROXY`, `ALL_PROXY`) are ignored: only
/// `proxy` (`federation.proxy`) is used, and outside debug mode a target that is not public
/// is refused before it reaches the proxy, as it is without one.
pub fn client(
    debug: bool,
    user_agent: &str,
    proxy: Option<&url::Url>,
) -> reqwest::Result<reqwest::Client> {
    let mut builder = reqwest::Client::builder()
        .user_agent(user_agent)
        .connect_timeout(Duration::from_secs(5))
        .redirect(reqwest::redirect::Policy::none())
        .no_proxy();
    if let Some(proxy) = proxy {
        builder = builder.proxy(if debug {
            reqwest::Proxy::all(proxy.as_str())?
        } else {
            let proxy = proxy.clone();
            #[allow(clippy::expect_used)]
            let refused =
                url::Url::parse(&format!("http://{REFUSED_HOST}/")).expect("a constant URL");
            reqwest::Proxy::custom(move |target| {
                Some(if target_is_public(target) {
                    proxy.clone()
                } else {
                    refused.clone()
                })
            })
        });
    }
    if !debug {
        let trusted = proxy.and_then(|p| p.host_str()).map(str::to_owned);
        builder = builder.dns_resolver(Arc::new(PublicOnly { trusted }));
    }
    builder.build()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inside_addresses_are_not_public() {
        for inside in [
            "127.0.0.1",
            "10.0.0.1",
            "172.16.5.4",
            "192.168.1.1",
            "169.254.169.254",
            "0.0.0.0",
            "100.64.0.1",
            "224.0.0.1",
            "255.255.255.255",
            "::1",
            "::",
            "fc00::1",
            "fe80::1",
            "::ffff:127.0.0.1",
            "::ffff:10.0.0.1",
            "64:ff9b::a00:1",
            "fec0::1",
            "feff::1",
            "2002:7f00:1::1",
            "2002:a00:1::",
            "2002:c0a8:101::1",
            "::127.0.0.1",
            "::10.0.0.1",
            "::93.184.216.34",
        ] {
            let ip: IpAddr = inside.parse().expect(inside);
            assert!(!is_public(ip), "{inside}");
        }
        for outside in [
            "93.184.216.34",
            "1.1.1.1",
            "2606:4700:4700::1111",
            "::ffff:93.184.216.34",
            "2002:5db8:d822::1",
        ] {
            let ip: IpAddr = outside.parse().expect(outside);
            assert!(is_public(ip), "{outside}");
        }
        let literal = url::Url::parse("https://[::ffff:127.0.0.1]/inbox").expect("url");
        assert!(check_literal(&literal).is_err());
        let literal = url::Url::parse("https://169.254.169.254/latest/meta-data").expect("url");
        assert!(check_literal(&literal).is_err());
    }

    /// Set (to the test's listening "proxy") in the child process that
    /// [`with_https_proxy_set_a_name_for_loopback_is_still_refused`] starts.
    const CHILD: &str = "PERCH_TEST_PROXY_CHILD";

    /// The proxy variables are read when a client is built, from the process's environment:
    /// they are set for a child (this test binary, running only this test), so that no other
    /// test sees them. A proxy that anything connects to would see the connection in its
    /// backlog: none may come.
    #[tokio::test]
    async fn with_https_proxy_set_a_name_for_loopback_is_still_refused() {
        if let Some(proxy) = std::env::var_os(CHILD) {
            return child(&proxy.to_string_lossy()).await;
        }
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        listener.set_nonblocking(true).expect("nonblocking");
        let proxy = format!("http://{}", listener.local_addr().expect("addr"));
        let status = std::process::Command::new(std::env::current_exe().expect("exe"))
            .args([
                "--exact",
                "net::tests::with_https_proxy_set_a_name_for_loopback_is_still_refused",
                "--test-threads=1",
            ])
            .env(CHILD, &proxy)
            .env("HTTPS_PROXY", &proxy)
            .env("HTTP_PROXY", &proxy)
            .env("ALL_PROXY", &proxy)
            .status()
            .expect("child");
        assert!(status.success(), "the child's checks failed");
        let err = listener.accept().expect_err("no connection to the proxy");
        assert_eq!(err.kind(), std::io::ErrorKind::WouldBlock);
    }

    async fn child(proxy: &str) {
        let within = |f| tokio::time::timeout(Duration::from_secs(10), f);
        // The environment's proxy is ignored: the guard refuses as it does without one.
        let guarded = client(false, "perch-test", None).expect("client");
        let err = within(guarded.get("https://localhost:9/").send())
            .await
            .expect("not stuck at a proxy")
            .expect_err("refused");
        assert!(format!("{err:?}").contains("no public address"), "{err:?}");
        // A configured proxy: the name is still checked, and refused before the proxy.
        let proxy = url::Url::parse(proxy).expect("url");
        let proxied = client(false, "perch-test", Some(&proxy)).expect("client");
        let err = within(proxied.get("https://localhost:9/").send())
            .await
            .expect("not stuck at the proxy")
            .expect_err("refused");
        assert!(format!("{err:?}").contains("no public address"), "{err:?}");
        let err = within(proxied.get("https://[::ffff:127.0.0.1]/").send())
            .await
            .expect("not stuck at the proxy")
            .expect_err("refused");
        assert!(format!("{err:?}").contains("no public address"), "{err:?}");
        // A public target goes to the configured proxy (one of this child's own, on loopback).
        let own = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        let own_url =
            url::Url::parse(&format!("http://{}", own.local_addr().expect("addr"))).expect("url");
        let seen = std::thread::spawn(move || {
            use std::io::Read;
            let (mut conn, _) = own.accept().expect("the proxy is used");
            let mut buf = [0u8; 256];
            let n = conn.read(&mut buf).unwrap_or(0);
            String::from_utf8_lossy(&buf[..n]).into_owned()
        });
        let proxied = client(false, "perch-test", Some(&own_url)).expect("client");
        let _ = within(proxied.get("https://93.184.216.34/").send()).await;
        let request = seen.join().expect("join");
        assert!(
            request.starts_with("CONNECT 93.184.216.34:443"),
            "{request}"
        );
    }

    #[tokio::test]
    async fn outside_debug_mode_a_name_for_loopback_is_refused_after_resolution() {
        let guarded = client(false, "perch-test", None).expect("client");
        let err = guarded
            .get("https://localhost:9/")
            .send()
            .await
            .expect_err("refused");
        let text = format!("{err:?}");
        assert!(text.contains("no public address"), "{text}");
    }
}
