//! Whether a Redis Cluster is whole, as its nodes say through `redis-cli`: every node ok, every
//! replica in sync, who serves which slot.

use crate::cluster_nodes::{Node, cli};

/// The nodes as the first of `ports` that answers sees them.
pub fn topology(ports: &[u16]) -> Option<Vec<Node>> {
    let out = cli(any_live(ports)?, &["cluster", "nodes"])?;
    Some(out.lines().filter_map(Node::parse).collect())
}

/// The first of `ports` whose node answers a PING.
fn any_live(ports: &[u16]) -> Option<u16> {
    ports
        .iter()
        .copied()
        .find(|&p| cli(p, &["ping"]).is_some_and(|out| out.trim() == "PONG"))
}

/// Every node says `cluster_state:ok`.
pub fn is_ok(ports: &[u16]) -> bool {
    ports
        .iter()
        .all(|&p| cli(p, &["cluster", "info"]).is_some_and(|o| o.contains("cluster_state:ok")))
}

/// Every master has `replicas` replicas whose link is up and whose offset has caught up.
pub fn replicas_in_sync(ports: &[u16], replicas: usize) -> bool {
    let infos = ports
        .iter()
        .filter_map(|&p| cli(p, &["info", "replication"]));
    let masters: Vec<String> = infos.filter(|i| i.contains("role:master")).collect();
    masters.iter().all(|info| {
        let online = info.matches("state=online").count();
        online == replicas && (replicas == 0 || offsets_match(info))
    })
}

/// In a master's `INFO replication`, every replica's `offset=` equals `master_repl_offset`.
fn offsets_match(info: &str) -> bool {
    let master = info
        .lines()
        .find_map(|l| l.strip_prefix("master_repl_offset:"))
        .map(str::trim);
    info.lines().filter(|l| l.starts_with("slave")).all(|l| {
        let offset = l.split(',').find_map(|kv| kv.strip_prefix("offset="));
        offset.is_some() && offset == master
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn replicas_are_in_sync_when_every_offset_matches_the_masters() {
        let info = "role:master\r\nconnected_slaves:1\r\n\
                    slave0:ip=127.0.0.1,port=7001,state=online,offset=420,lag=0\r\n\
                    master_repl_offset:420\r\n";
        assert!(super::offsets_match(info));
        assert!(!super::offsets_match(
            &info.replace("offset=420", "offset=400")
        ));
    }
}
