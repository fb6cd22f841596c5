//! Every save in the library as it happens, by this app, its workers or another process
//! (the command line), for clients that show the library live.

use crate::{App, Result};
use classkit_store::Saved;
use std::time::Duration;
use tokio::sync::mpsc;

/// How often the library's revisions are read for new saves. SQLite tells no other process
/// of a commit, so saves by other processes are found by reading; one read of the newest
/// revisions is a single indexed query.
const SAVES_EVERY: Duration = Duration::from_millis(500);

/// Most saves read at once.
const SAVES_PAGE: i64 = 500;

impl App {
    /// Every save made from now on, in order, until the receiver is dropped.
    pub async fn watch_saves(&self) -> Result<mpsc::Receiver<Saved>> {
        let store = self.store.clone();
        let mut last = store.last_save().await?;
        let (tx, rx) = mpsc::channel(SAVES_PAGE as usize);
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(SAVES_EVERY);
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                tick.tick().await;
                match store.saves_after(last, SAVES_PAGE).await {
                    Ok(saves) => {
                        for saved in saves {
                            last = saved.seq;
                            if tx.send(saved).await.is_err() {
                                return;
                            }
                        }
                    }
                    Err(e) => tracing::warn!(error = %e, "reading the library's saves"),
                }
                if tx.is_closed() {
                    return;
                }
            }
        });
        Ok(rx)
    }
}
