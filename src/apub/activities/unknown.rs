//! Any other activity (`Add`, `Move`, `Block`, a `Create` of a vote…): nothing to check, nothing
//! done but a line in the log; the inbox still answers 202 so that the sender does not retry.

use crate::{apub::protocol::Unknown, error::Result, state::Data};

super::handler!(Unknown);

impl Unknown {
    async fn check(&self, _: &Data) -> Result<()> {
        Ok(())
    }

    async fn act(self, _: &Data) -> Result<()> {
        tracing::info!(kind = %self.kind, id = %self.id, actor = %self.actor, "activity ignored");
        Ok(())
    }
}
