//! The performance harness behind `bash benches/perf.sh`: perch as a self-hoster runs it
//! (`perch serve`, its own process and SQLite file), with its load generators, a verifying
//! sink for its deliveries and a server of remote actors for its inbox, all on loopback in
//! one run. Every figure is printed beside the limit it is measured against in the same run
//! (the machine's signing and verifying rates, a static route of the same binary), never as a
//! bare time. Shared with the test that keeps it from rotting (tests/it/bench.rs runs it at
//! tiny sizes), which includes this file by path.

pub mod actors;
pub mod figures;
pub mod limits;
pub mod load;
pub mod probe;
pub mod run;
pub mod sink;

pub use run::{run, Sizes};
