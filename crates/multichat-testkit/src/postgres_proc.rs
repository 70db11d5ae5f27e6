//! Process helpers of the PostgreSQL harness: finding the server binaries, and running them as
//! the unprivileged `postgres` user when the tests run as root (`initdb` refuses root).

use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// What to do when the PostgreSQL server binaries are missing.
pub const INSTALL: &str = "PostgreSQL's server binaries (initdb, postgres) were not found. Install them \
     (Debian/Ubuntu: `apt-get install postgresql`; macOS: `brew install postgresql`) or set \
     MULTICHAT_POSTGRES_BIN to their directory. To skip the PostgreSQL tests, set \
     MULTICHAT_SKIP_POSTGRES=1.";

/// The directory holding `initdb` and `postgres`, if one is found.
pub fn bindir() -> Option<PathBuf> {
    let has_both = |d: &Path| d.join("initdb").is_file() && d.join("postgres").is_file();
    let from_env = std::env::var_os("MULTICHAT_POSTGRES_BIN").map(PathBuf::from);
    let on_path = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|d| d.join("initdb"))
            .find(|p| p.is_file())
            .and_then(|p| std::fs::canonicalize(p).ok())
            .and_then(|p| p.parent().map(Path::to_path_buf))
    });
    let pg_config = Command::new("pg_config")
        .arg("--bindir")
        .output()
        .ok()
        .map(|o| PathBuf::from(String::from_utf8_lossy(&o.stdout).trim()));
    let debian = std::fs::read_dir("/usr/lib/postgresql")
        .ok()
        .and_then(|dirs| {
            let mut found: Vec<PathBuf> = dirs.flatten().map(|d| d.path().join("bin")).collect();
            found.sort();
            found.pop()
        });
    [from_env, on_path, pg_config, debian]
        .into_iter()
        .flatten()
        .find(|d| has_both(d))
}

pub fn running_as_root() -> bool {
    std::fs::metadata("/proc/self").is_ok_and(|m| m.uid() == 0)
}

/// Gives `dir` to the `postgres` user, so the server it runs as can use it.
pub fn chown_to_postgres(dir: &Path) {
    let id = |flag: &str| -> u32 {
        let out = Command::new("id").args([flag, "postgres"]).output();
        let text = out.map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned());
        text.ok()
            .and_then(|t| t.parse().ok())
            .unwrap_or_else(|| panic!("running as root needs a `postgres` system user. {INSTALL}"))
    };
    std::os::unix::fs::chown(dir, Some(id("-u")), Some(id("-g"))).expect("chown the temp dir");
}

/// `program` of the server binaries in `bin`, run as `postgres` when this process is root.
pub fn server_command(bin: &Path, program: &str) -> Command {
    let path = bin.join(program);
    if !running_as_root() {
        return Command::new(path);
    }
    let mut command = Command::new("setpriv");
    command
        .args([
            "--reuid=postgres",
            "--regid=postgres",
            "--init-groups",
            "--",
        ])
        .arg(path);
    command
}

/// Waits until the server on `port` accepts connections (`pg_isready`), 30 s at most: crash
/// recovery runs first after a kill.
pub fn wait_until_ready(bin: &Path, port: u16) {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let ready = Command::new(bin.join("pg_isready"))
            .args(["-h", "127.0.0.1", "-p", &port.to_string(), "-q"])
            .status()
            .is_ok_and(|s| s.success());
        if ready {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "postgres did not start on {port}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Makes `dir/server.crt` and `dir/server.key` (self-signed, for 127.0.0.1 and localhost, with
/// `openssl`), lets only TLS connections in (`pg_hba.conf`), and returns the server arguments
/// that turn TLS on.
pub fn tls_only(dir: &Path) -> Vec<String> {
    let (cert, key) = (dir.join("server.crt"), dir.join("server.key"));
    let status = Command::new("openssl")
        .args([
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
        ])
        .args(["-subj", "/CN=localhost"])
        .args(["-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"])
        // A leaf, not a CA: clients refuse a CA certificate presented as the server's own.
        .args(["-addext", "basicConstraints=critical,CA:FALSE"])
        .args(["-addext", "extendedKeyUsage=serverAuth"])
        .arg("-keyout")
        .arg(&key)
        .arg("-out")
        .arg(&cert)
        .stderr(std::process::Stdio::null())
        .status()
        .expect("openssl is needed for the TLS test server");
    assert!(status.success(), "openssl req failed");
    std::fs::set_permissions(&key, std::os::unix::fs::PermissionsExt::from_mode(0o600))
        .expect("key mode");
    let hba = dir.join("data").join("pg_hba.conf");
    std::fs::write(
        &hba,
        "local all all trust\nhostssl all all 127.0.0.1/32 trust\n",
    )
    .expect("pg_hba.conf");
    if running_as_root() {
        for file in [&cert, &key, &hba] {
            chown_to_postgres(file);
        }
    }
    let file = |p: &Path| p.display().to_string();
    ["-c", "ssl=on", "-c"]
        .into_iter()
        .map(String::from)
        .chain([format!("ssl_cert_file={}", file(&cert)), "-c".into()])
        .chain([format!("ssl_key_file={}", file(&key))])
        .collect()
}
