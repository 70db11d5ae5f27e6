//! Watches woken by `NOTIFY`. Every append sends `pg_notify(<schema>, <payload>)` in its own
//! transaction — the notification goes out when, and only if, the append commits; the payload
//! names the session and carries the messages when they fit ([`crate::heard`]) — and each store
//! keeps one connection outside the pool that `LISTEN`s on its schema's channel and wakes the
//! watches of the session named, whichever process appended. It starts with the first watch.
//! After a lost connection it connects again (every second) and, once listening, wakes every
//! watch: they read after their last delivered seq, so nothing appended while it was away is
//! skipped. It stops when the store is dropped. The same connection renews the leases of the
//! sessions watched in its process ([`crate::lease`]) once it listens, and then every
//! [`crate::lease::RENEW_EVERY`].

use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures_util::StreamExt;
use multichat_core::Changes;
use tokio::task::JoinHandle;
use tokio_postgres::tls::{MakeTlsConnect, TlsConnect};
use tokio_postgres::{AsyncMessage, Socket};

use crate::tls::Tls;

/// The listening connection of one store (how to connect it, its task once started), and the
/// watches it wakes.
pub struct Listener {
    /// The watched sessions' signals.
    pub changes: Arc<Changes>,
    pg: tokio_postgres::Config,
    /// The TLS to connect with until the listening task takes it, then that task.
    state: Mutex<(Option<Tls>, Option<JoinHandle<()>>)>,
}

impl Listener {
    /// A listener that will connect to `pg` with `tls`.
    pub fn new(pg: tokio_postgres::Config, tls: Tls) -> Self {
        Self {
            changes: Arc::default(),
            pg,
            state: Mutex::new((Some(tls), None)),
        }
    }

    /// Starts listening on `channel`, and renewing leases with `lease` (`crate::lease::sql`),
    /// unless it already does.
    pub fn start(&self, channel: &str, lease: &str) {
        let mut state = self.state.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(tls) = state.0.take() {
            let channel = Channel {
                name: channel.to_owned(),
                lease: lease.to_owned(),
                changes: Arc::clone(&self.changes),
            };
            state.1 = Some(tokio::spawn(listen(self.pg.clone(), tls, channel)));
        }
    }
}

impl std::fmt::Debug for Listener {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Listener")
            .field("listening", &self.state.lock().is_ok_and(|s| s.1.is_some()))
            .finish_non_exhaustive()
    }
}

impl Drop for Listener {
    fn drop(&mut self) {
        let state = self.state.get_mut().unwrap_or_else(|p| p.into_inner());
        if let Some(task) = state.1.take() {
            task.abort();
        }
    }
}

/// The channel the listening connection listens on, the leases it renews, the watches it wakes.
struct Channel {
    name: String,
    lease: String,
    changes: Arc<Changes>,
}

/// Listens on `channel.name` for ever, connecting again after a lost connection.
async fn listen<T>(pg: tokio_postgres::Config, tls: T, channel: Channel)
where
    T: MakeTlsConnect<Socket> + Clone + Send + Sync + 'static,
    T::Stream: Send + 'static,
    T::TlsConnect: Send,
    <T::TlsConnect as TlsConnect<Socket>>::Future: Send,
{
    loop {
        if let Ok((client, mut connection)) = pg.connect(tls.clone()).await {
            let woke = Arc::clone(&channel.changes);
            let messages = futures_util::stream::poll_fn(move |cx| connection.poll_message(cx));
            let notified = messages.for_each(move |message| {
                if let Ok(AsyncMessage::Notification(n)) = message {
                    crate::heard::tell(&woke, n.payload());
                }
                std::future::ready(())
            });
            tokio::select! {
                () = notified => {}
                () = listening(&client, &channel) => {}
            }
        }
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
}

/// Listens with `client`, then renews the leases of the watched sessions until the connection
/// fails. Once it listens (and has renewed), it wakes every watch: whatever was appended before
/// was not heard, or not notified.
async fn listening(client: &tokio_postgres::Client, channel: &Channel) {
    let sql = format!("LISTEN \"{}\"", channel.name);
    if client.batch_execute(&sql).await.is_err() {
        return;
    }
    let mut listened = false;
    loop {
        let watched = channel.changes.watched();
        let renewed = crate::lease::renew(client, &channel.lease, &watched).await;
        if !listened {
            channel.changes.touch_all();
            listened = true;
        }
        if renewed.is_err() {
            return;
        }
        tokio::time::sleep(crate::lease::RENEW_EVERY).await;
    }
}
