//! A 3-master Redis Cluster of the test's own on loopback ports, joined with
//! `redis-cli --cluster create`, killed on drop.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::redis_server::RedisServer;

/// Three cluster-enabled servers joined into one cluster with no replicas.
#[derive(Debug)]
pub struct RedisCluster {
    nodes: Vec<RedisServer>,
}

impl RedisCluster {
    /// Starts and joins the cluster, waiting until `cluster_state:ok` (30 s at most); `None`
    /// only when `redis-server` is missing and `MULTICHAT_SKIP_REDIS=1`.
    pub fn start() -> Option<Self> {
        let args = [
            "--cluster-enabled",
            "yes",
            "--cluster-config-file",
            "nodes.conf",
            "--cluster-node-timeout",
            "3000",
        ];
        let nodes: Vec<RedisServer> = (0..3)
            .map(|_| RedisServer::start_with(None, &args))
            .collect::<Option<_>>()?;
        let addrs: Vec<String> = nodes
            .iter()
            .map(|n| format!("127.0.0.1:{}", n.port()))
            .collect();
        let status = Command::new(cli())
            .args(["--cluster", "create"])
            .args(&addrs)
            .args(["--cluster-replicas", "0", "--cluster-yes"])
            .stdout(Stdio::null())
            .status()
            .expect(
                "redis-cli is needed for the cluster tests (Debian: apt-get install redis-tools)",
            );
        assert!(status.success(), "redis-cli --cluster create failed");
        let cluster = Self { nodes };
        cluster.wait_ok();
        Some(cluster)
    }

    /// The node URLs, `redis://127.0.0.1:<port>/`.
    pub fn urls(&self) -> Vec<String> {
        self.nodes.iter().map(RedisServer::url).collect()
    }

    fn wait_ok(&self) {
        let deadline = Instant::now() + Duration::from_secs(30);
        while Instant::now() < deadline {
            let all_ok = self.nodes.iter().all(|n| {
                let out = Command::new(cli())
                    .args(["-p", &n.port().to_string(), "cluster", "info"])
                    .output();
                out.is_ok_and(|o| String::from_utf8_lossy(&o.stdout).contains("cluster_state:ok"))
            });
            if all_ok {
                return;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        panic!("the Redis Cluster did not reach cluster_state:ok within 30 s");
    }
}

/// `redis-cli`, next to a `MULTICHAT_REDIS_SERVER` override if one is set.
fn cli() -> std::path::PathBuf {
    match std::env::var_os("MULTICHAT_REDIS_SERVER") {
        Some(server) => std::path::Path::new(&server).with_file_name("redis-cli"),
        None => "redis-cli".into(),
    }
}
