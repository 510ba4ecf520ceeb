use super::*;

#[test]
fn defaults_load_and_name_the_database_file() {
    let s = Settings::load(None, [("PERCH__FEDERATION__DEBUG".into(), "true".into())])
        .expect("defaults load");
    assert_eq!(s.actor.username, "me");
    assert_eq!(
        s.database(),
        crate::db::Location::Sqlite(PathBuf::from("./data/perch.db"))
    );
}

#[test]
fn the_default_domain_needs_debug_mode() {
    let err = Settings::load(None, []).expect_err("port without debug");
    assert!(err.to_string().contains("server.domain"), "{err}");
}

#[test]
fn debug_mode_refuses_to_start_with_a_real_domain() {
    let dir = tempfile::tempdir().expect("tempdir");
    for real in [
        "blog.example.org",
        "localhost.example.org",
        "10.0.0.1:8080",
        "[2001:db8::1]",
    ] {
        let err =
            Settings::loopback(dir.path(), &[("server.domain", real.into())]).expect_err(real);
        assert!(
            err.to_string().contains("federation.debug"),
            "{real}: {err}"
        );
    }
    for local in [
        "localhost:8080",
        "blog.localhost",
        "127.0.0.2:80",
        "[::1]:8080",
    ] {
        Settings::loopback(dir.path(), &[("server.domain", local.into())]).expect(local);
    }
    let real = [
        ("PERCH__FEDERATION__DEBUG".to_owned(), "false".to_owned()),
        (
            "PERCH__SERVER__DOMAIN".to_owned(),
            "blog.example.org".to_owned(),
        ),
    ];
    Settings::load(None, real).expect("a real domain without debug");
}

#[test]
fn unknown_and_invalid_keys_are_named() {
    let err =
        Settings::load(None, [("PERCH__ACTOR__NAME".into(), "x".into())]).expect_err("unknown key");
    assert!(err.to_string().contains("actor.name"), "{err}");
    let err = Settings::load(None, [("PERCH__ACTOR__LOCKED".into(), "maybe".into())])
        .expect_err("bad bool");
    assert!(err.to_string().contains("actor.locked"), "{err}");
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("perch.toml");
    std::fs::write(&file, "[server]\nbindd = \"x\"\n").expect("write");
    let err = Settings::load(Some(&file), []).expect_err("typo");
    assert!(err.to_string().contains("server.bindd"), "{err}");
    std::fs::write(&file, "[delivery]\nconcurrency = \"many\"\n").expect("write");
    let err = Settings::load(Some(&file), []).expect_err("type");
    assert!(err.to_string().contains("delivery.concurrency"), "{err}");
}

#[test]
fn the_media_size_limit_defaults_to_10_mib_and_is_at_least_one_byte() {
    let dir = tempfile::tempdir().expect("tempdir");
    let s = Settings::loopback(dir.path(), &[]).expect("defaults");
    assert_eq!(s.media.max_bytes, 10 * 1024 * 1024);
    let err = Settings::loopback(dir.path(), &[("media.max_bytes", 0.into())]).expect_err("zero");
    assert!(err.to_string().contains("media.max_bytes"), "{err}");
}

#[test]
fn profile_links_come_from_a_file_not_the_environment() {
    let debug = ("PERCH__FEDERATION__DEBUG".to_owned(), "true".to_owned());
    let err = Settings::load(
        None,
        [
            debug.clone(),
            ("PERCH__ACTOR__LINKS".into(), "https://a.example/".into()),
        ],
    )
    .expect_err("a list from the environment");
    let msg = err.to_string();
    assert!(
        msg.contains("actor.links") && msg.contains("config file"),
        "{msg}"
    );
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("perch.toml");
    std::fs::write(&file, "[actor]\nlinks = [\"https://a.example/me\"]\n").expect("write");
    let s = Settings::load(Some(&file), [debug.clone()]).expect("links load");
    assert_eq!(s.actor.links, ["https://a.example/me"]);
    std::fs::write(&file, "[actor]\nlinks = [\"javascript:alert(1)\"]\n").expect("write");
    let err = Settings::load(Some(&file), [debug]).expect_err("not http");
    assert!(err.to_string().contains("actor.links[0]"), "{err}");
}

#[test]
fn the_metrics_listener_is_loopback_only_and_logs_may_be_json() {
    let env = |k: &str, v: &str| {
        [
            (k.to_owned(), v.to_owned()),
            ("PERCH__FEDERATION__DEBUG".to_owned(), "true".to_owned()),
        ]
    };
    let err = Settings::load(None, env("PERCH__METRICS__LISTEN", "0.0.0.0:9464"))
        .expect_err("public metrics listener");
    assert!(err.to_string().contains("metrics.listen"), "{err}");
    assert!(err.to_string().contains("loopback"), "{err}");
    let err = Settings::load(None, env("PERCH__METRICS__LISTEN", "localhost"))
        .expect_err("not an address");
    assert!(err.to_string().contains("metrics.listen"), "{err}");
    let s = Settings::load(None, env("PERCH__METRICS__LISTEN", "[::1]:9464")).expect("loopback");
    assert_eq!(s.metrics.listen_addr().map(|a| a.port()), Some(9464));
    let s = Settings::load(None, env("PERCH__LOG__FORMAT", "json")).expect("json logs");
    assert_eq!(s.log.format, LogFormat::Json);
    let s = Settings::load(None, env("PERCH__LOG__FORMAT", "text")).expect("text logs");
    assert_eq!(s.log.format, LogFormat::Text);
}
