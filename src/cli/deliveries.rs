//! `perch deliveries`: the delivery queue per inbox, the servers that are failing or
//! unreachable, and the signature format each server is sent. Reads only (`db::queries`).

use perch::{app::Instance, config::Settings, db::queries, error::Result};

pub async fn show(settings: Settings) -> Result<()> {
    let instance = Instance::open(settings).await?;
    let rows = instance
        .state()
        .db
        .run(queries::deliveries::summary)
        .await?;
    println!(
        "{:<11} {:>6} {:>9}  {:<50} last error",
        "state", "rows", "attempts", "inbox"
    );
    for (inbox, state, n, attempts, error) in rows {
        println!(
            "{state:<11} {n:>6} {attempts:>9}  {inbox:<50} {}",
            error.unwrap_or_default()
        );
    }
    let servers = instance.state().db.run(queries::hosts::all).await?;
    for h in servers {
        let at = |t: Option<chrono::NaiveDateTime>| {
            t.map_or("-".to_owned(), |t| {
                t.format("%Y-%m-%d %H:%M:%S UTC").to_string()
            })
        };
        match h.unreachable_since {
            Some(since) => println!(
                "server {} unreachable since {}, failing since {}, next probe {}: {}",
                h.host,
                at(Some(since)),
                at(h.failing_since),
                at(h.next_probe_at),
                h.last_error.unwrap_or_default()
            ),
            None => println!(
                "server {} failing since {}: {}",
                h.host,
                at(h.failing_since),
                h.last_error.unwrap_or_default()
            ),
        }
    }
    let formats = instance
        .state()
        .db
        .run(queries::signature_formats::all)
        .await?;
    for k in formats {
        println!(
            "signatures to {}: {} ({} {})",
            k.host,
            k.format,
            k.evidence,
            k.checked_at.format("%Y-%m-%d %H:%M:%S UTC")
        );
    }
    println!("signatures to every other server: cavage");
    Ok(())
}
