//! What the nodes of a Redis Cluster say about themselves, through `redis-cli`: `CLUSTER
//! NODES` lines, key slots, replication state.

use std::process::{Command, Stdio};

/// One line of `CLUSTER NODES`: a node's port, whether it is a live master, its slot ranges.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Node {
    /// The node's client port.
    pub port: u16,
    master: bool,
    slots: Vec<(u16, u16)>,
}

impl Node {
    /// Parses `<id> <ip:port@bus> <flags> <master> <ping> <pong> <epoch> <state> <slots>…`; a
    /// node flagged `fail` or `fail?` is not a live master.
    pub fn parse(line: &str) -> Option<Self> {
        let fields: Vec<&str> = line.split_whitespace().collect();
        let port = fields
            .get(1)?
            .split(['@', ','])
            .next()?
            .rsplit(':')
            .next()?;
        let flags = fields.get(2)?;
        let failed = flags.split(',').any(|f| f.starts_with("fail"));
        let slots = fields.iter().skip(8).filter_map(|r| range(r)).collect();
        Some(Self {
            port: port.parse().ok()?,
            master: flags.contains("master") && !failed,
            slots,
        })
    }

    /// True when this node is a live master serving `slot`.
    pub fn serves(&self, slot: u16) -> bool {
        self.master && self.slots.iter().any(|(a, b)| (*a..=*b).contains(&slot))
    }
}

/// `a-b` or `a` (a slot being imported or migrated, `[…]`, is not served).
fn range(text: &str) -> Option<(u16, u16)> {
    let (a, b) = text.split_once('-').unwrap_or((text, text));
    Some((a.parse().ok()?, b.parse().ok()?))
}

/// The Cluster slot of `key`: CRC16 (XMODEM) of its hash tag (the text between the first `{`
/// and the next `}`, when not empty) or of the whole key, modulo 16384.
pub fn slot_of(key: &str) -> u16 {
    let tagged = key
        .split_once('{')
        .and_then(|(_, rest)| rest.split_once('}'));
    let hashed = match tagged {
        Some((tag, _)) if !tag.is_empty() => tag,
        _ => key,
    };
    let mut crc: u16 = 0;
    for byte in hashed.bytes() {
        crc ^= u16::from(byte) << 8;
        for _ in 0..8 {
            crc = if crc & 0x8000 != 0 {
                (crc << 1) ^ 0x1021
            } else {
                crc << 1
            };
        }
    }
    crc % 16384
}

/// What `redis-cli -p <port> <args…>` prints, or `None` when it fails or times out (1 s: a
/// stalled node does not answer).
pub fn cli(port: u16, args: &[&str]) -> Option<String> {
    let out = Command::new("timeout")
        .arg("1")
        .arg(cli_path())
        .args(["-p", &port.to_string()])
        .args(args)
        .stderr(Stdio::null())
        .output()
        .ok()?;
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    (out.status.success() && !text.starts_with("Could not connect")).then_some(text)
}

/// `redis-cli`, next to a `MULTICHAT_REDIS_SERVER` override if one is set.
pub fn cli_path() -> std::path::PathBuf {
    match std::env::var_os("MULTICHAT_REDIS_SERVER") {
        Some(server) => std::path::Path::new(&server).with_file_name("redis-cli"),
        None => "redis-cli".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nodes_lines_are_read_with_their_role_and_slots() {
        let master = "07c3 127.0.0.1:30004@40004 myself,master - 0 0 1 connected 0-5460 5462";
        let node = Node::parse(master).expect("parsed");
        assert_eq!(node.port, 30004);
        assert!(node.serves(0) && node.serves(5460) && node.serves(5462));
        assert!(!node.serves(5461));
        let failed = "07c4 127.0.0.1:30005@40005 master,fail - 0 0 2 disconnected 5461";
        assert!(!Node::parse(failed).expect("parsed").serves(5461));
        let replica = "07c5 127.0.0.1:30006@40006 slave 07c3 0 0 1 connected";
        assert!(!Node::parse(replica).expect("parsed").serves(0));
        assert_eq!(Node::parse("garbage"), None);
    }

    #[test]
    fn slots_are_the_ones_redis_computes() {
        // `CLUSTER KEYSLOT` of a Redis 7 server; an empty tag hashes the whole key.
        assert_eq!(slot_of("foo"), 12182);
        assert_eq!(slot_of("bar"), 5061);
        assert_eq!(slot_of("c1:{foo}:s"), 12182);
        assert_ne!(slot_of("{}foo"), slot_of("foo"));
    }
}
