//! A far-away server on loopback: a TCP proxy that holds every chunk it forwards for a fixed
//! delay in each direction, so a benchmark can measure what a store costs when its database sits
//! in another zone or region instead of on the same machine. The proxy runs on a thread and
//! runtime of its own, so its work does not share the measured runtime's workers.
//!
//! tokio's timer counts whole milliseconds, so a delay is rounded up to the next millisecond
//! tick: a 1 ms delay holds a chunk 1–2 ms. The benchmarks therefore compare a store with a
//! raw client through the same proxy in the same run, never with a figure computed from the delay.

use std::net::SocketAddr;
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::tcp::{OwnedReadHalf, OwnedWriteHalf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc;
use tokio::time::Instant;

/// A running proxy to one loopback port; it stops with the process.
pub struct Delayed {
    port: u16,
}

impl Delayed {
    /// Starts a proxy that forwards connections to `127.0.0.1:target`, each chunk held `delay`
    /// on its way in each direction.
    pub fn start(target: u16, delay: Duration) -> Self {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind the proxy");
        let port = listener.local_addr().expect("proxy address").port();
        listener.set_nonblocking(true).expect("non-blocking");
        std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("proxy runtime");
            runtime.block_on(accept(listener, target, delay));
        });
        Self { port }
    }

    /// The proxy's port, to connect to instead of the target's.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// `url`, a PostgreSQL URL of a loopback server, reached through a new proxy holding each
    /// chunk `delay` each way instead.
    pub fn postgres_url(url: &str, delay: Duration) -> String {
        let config: tokio_postgres::Config = url.parse().expect("a PostgreSQL URL");
        let port = config.get_ports()[0];
        let proxy = Self::start(port, delay).port();
        url.replace(&format!(":{port}/"), &format!(":{proxy}/"))
    }
}

/// Accepts connections and forwards each to the target.
async fn accept(listener: std::net::TcpListener, target: u16, delay: Duration) {
    let listener = TcpListener::from_std(listener).expect("proxy listener");
    loop {
        let Ok((client, _)) = listener.accept().await else {
            continue;
        };
        tokio::spawn(async move {
            let addr = SocketAddr::from(([127, 0, 0, 1], target));
            let Ok(server) = TcpStream::connect(addr).await else {
                return;
            };
            let (_, _) = (client.set_nodelay(true), server.set_nodelay(true));
            let (client_read, client_write) = client.into_split();
            let (server_read, server_write) = server.into_split();
            tokio::spawn(forward(client_read, server_write, delay));
            forward(server_read, client_write, delay).await;
        });
    }
}

/// Copies `from` to `to`, each chunk written `delay` after it was read, in order; ends when
/// either side closes.
async fn forward(mut from: OwnedReadHalf, mut to: OwnedWriteHalf, delay: Duration) {
    let (sender, mut receiver) = mpsc::unbounded_channel::<(Instant, Vec<u8>)>();
    let writer = tokio::spawn(async move {
        while let Some((due, chunk)) = receiver.recv().await {
            tokio::time::sleep_until(due).await;
            if to.write_all(&chunk).await.is_err() {
                return;
            }
        }
    });
    let mut buffer = vec![0; 64 * 1024];
    while let Ok(n @ 1..) = from.read(&mut buffer).await {
        if sender
            .send((Instant::now() + delay, buffer[..n].to_vec()))
            .is_err()
        {
            break;
        }
    }
    drop(sender);
    let _ = writer.await;
}
