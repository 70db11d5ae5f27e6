//! A Redis Cluster of the test's own on loopback ports, joined with `redis-cli --cluster
//! create`, killed on drop: 3 masters ([`RedisCluster::start`]), or 3 masters with a replica each
//! ([`RedisCluster::start_replicated`]) whose nodes a fault test can kill, stall and watch fail
//! over.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::cluster_nodes::slot_of;
use crate::cluster_state;
use crate::redis_server::RedisServer;

/// The node timeout of a replicated cluster: a master that does not answer for this long is
/// replaced by its replica (Redis then takes up to about twice as long to promote it).
pub const NODE_TIMEOUT: Duration = Duration::from_millis(1000);

/// Cluster-enabled servers joined into one cluster.
#[derive(Debug)]
pub struct RedisCluster {
    nodes: Vec<RedisServer>,
}

impl RedisCluster {
    /// Three masters without replicas (node timeout 3 s), waiting until `cluster_state:ok`
    /// (30 s at most); `None` only when `redis-server` is missing and `MULTICHAT_SKIP_REDIS=1`.
    pub fn start() -> Option<Self> {
        Self::launch(0, "3000")
    }

    /// Three masters with a replica each, node timeout [`NODE_TIMEOUT`], and
    /// `cluster-require-full-coverage no` (the recommended setting: the healthy masters keep
    /// serving while one fails over). Returns once the cluster is ok and every replica is in
    /// sync with its master.
    pub fn start_replicated() -> Option<Self> {
        Self::launch(1, &NODE_TIMEOUT.as_millis().to_string())
    }

    fn launch(replicas: usize, node_timeout: &str) -> Option<Self> {
        let args = [
            "--cluster-enabled",
            "yes",
            "--cluster-config-file",
            "nodes.conf",
            "--cluster-node-timeout",
            node_timeout,
            "--cluster-require-full-coverage",
            "no",
        ];
        let nodes: Vec<RedisServer> = (0..3 * (1 + replicas))
            .map(|_| RedisServer::start_with(None, &args))
            .collect::<Option<_>>()?;
        let addrs: Vec<String> = nodes
            .iter()
            .map(|n| format!("127.0.0.1:{}", n.port()))
            .collect();
        let status = Command::new(crate::cluster_nodes::cli_path())
            .args(["--cluster", "create"])
            .args(&addrs)
            .args(["--cluster-replicas", &replicas.to_string(), "--cluster-yes"])
            .stdout(Stdio::null())
            .status()
            .expect(
                "redis-cli is needed for the cluster tests (Debian: apt-get install redis-tools)",
            );
        assert!(status.success(), "redis-cli --cluster create failed");
        let cluster = Self { nodes };
        cluster.wait_until("every node ok and in sync", Duration::from_secs(30), |c| {
            let ports = c.ports();
            cluster_state::is_ok(&ports) && cluster_state::replicas_in_sync(&ports, replicas)
        });
        Some(cluster)
    }

    /// The node URLs, `redis://127.0.0.1:<port>/`.
    pub fn urls(&self) -> Vec<String> {
        self.nodes.iter().map(RedisServer::url).collect()
    }

    /// The store URL of the whole cluster: `redis+cluster://127.0.0.1:<port>,…`.
    pub fn store_url(&self) -> String {
        let hosts: Vec<String> = self
            .ports()
            .iter()
            .map(|p| format!("127.0.0.1:{p}"))
            .collect();
        format!("redis+cluster://{}", hosts.join(","))
    }

    /// The nodes' ports, in [`RedisCluster::urls`] order.
    fn ports(&self) -> Vec<u16> {
        self.nodes.iter().map(RedisServer::port).collect()
    }

    /// The index (in [`RedisCluster::urls`]) of the master serving the slot of `key` now, as
    /// the first live node that answers says; `None` while no master serves it.
    pub fn master_of(&self, key: &str) -> Option<usize> {
        let slot = slot_of(key);
        let nodes = cluster_state::topology(&self.ports())?;
        let master = nodes.into_iter().find(|n| n.serves(slot))?;
        self.ports().iter().position(|p| *p == master.port)
    }

    /// Node `i` (in [`RedisCluster::urls`] order), to kill ([`RedisServer::stop`]), stall
    /// ([`RedisServer::pause`]) or resume.
    pub fn node(&mut self, i: usize) -> &mut RedisServer {
        &mut self.nodes[i]
    }

    /// Waits (at most `limit`) until `done`, checking every 50 ms; panics naming `what`.
    pub fn wait_until(&self, what: &str, limit: Duration, done: impl Fn(&Self) -> bool) {
        let deadline = Instant::now() + limit;
        while Instant::now() < deadline {
            if done(self) {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!("the Redis Cluster: {what}: not within {limit:?}");
    }
}
