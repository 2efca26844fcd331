//! A private Eclipse Mosquitto broker per test (Debian's `mosquitto`, which
//! `scripts/mosquitto` installs; its path in `RAMP_TEST_MOSQUITTO`, else
//! `/usr/sbin/mosquitto`): its own temporary directory and free port,
//! no anonymous clients, a password file (Ramp's subscriber user is in it
//! from the start; devices' lines are written by Ramp when it issues a
//! secret), the ACL that lets a device publish only to its own topic, and
//! persistence on so QoS 1 messages queued for Ramp survive a broker
//! restart. Start, stop, restart and reload never sleep a fixed time: they
//! poll the port (or the process) against a deadline.
//!
//! [`Device`] is a device's MQTT client (rumqttc, QoS 1): it connects with
//! its number and secret and publishes until the broker acknowledges.

use ramp_app::digital::{mosquitto_hash, MqttPasswordFile};
use rumqttc::{AsyncClient, ConnectReturnCode, ConnectionError, Event, MqttOptions, Packet, QoS};
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::process::{Child, Command};

/// Ramp's own user at the test broker.
pub const RAMP_USER: &str = "ramp-ingest";
pub const RAMP_PASSWORD: &str = "ramp-test-broker-password";

/// The ACL: Ramp reads every device's topic; a device writes its own only.
pub const ACL: &str = "# Devices: each publishes to its own topic only (%u = the username = the device number).\n\
pattern write ramp/v1/devices/%u/measurements\n\n\
# Ramp's subscriber reads every device's measurements.\n\
user ramp-ingest\n\
topic read ramp/v1/devices/+/measurements\n";

pub fn mosquitto_path() -> PathBuf {
    std::env::var_os("RAMP_TEST_MOSQUITTO").map_or_else(|| PathBuf::from("/usr/sbin/mosquitto"), PathBuf::from)
}

/// Whether the broker is installed (`scripts/mosquitto`); MQTT tests need it.
pub fn available() -> bool {
    mosquitto_path().exists()
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").expect("bind").local_addr().expect("addr").port()
}

/// A running private broker; killed on drop, its directory removed.
pub struct Broker {
    pub dir: PathBuf,
    pub port: u16,
    child: Option<Child>,
}

impl std::fmt::Debug for Broker {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Broker").field("dir", &self.dir).field("port", &self.port).finish_non_exhaustive()
    }
}

impl Broker {
    /// Starts a broker and waits until it accepts connections.
    pub async fn start() -> Broker {
        Self::start_with("").await
    }

    /// As [`Broker::start`], with extra lines in its configuration.
    pub async fn start_with(extra_config: &str) -> Broker {
        static N: AtomicU64 = AtomicU64::new(0);
        let base = std::env::var_os("RAMP_TEST_TMPDIR").map_or_else(std::env::temp_dir, PathBuf::from);
        let dir = base.join(format!("mosquitto-{}-{}", std::process::id(), N.fetch_add(1, Ordering::Relaxed)));
        std::fs::create_dir_all(&dir).expect("broker directory");
        let port = free_port();
        let conf = format!(
            "listener {port} 127.0.0.1\n\
             allow_anonymous false\n\
             password_file {dir}/passwords\n\
             acl_file {dir}/acl\n\
             persistence true\n\
             persistence_location {dir}/\n\
             autosave_interval 1\n\
             max_queued_messages 1000000\n\
             max_inflight_messages 100\n\
             user root\n\
             log_dest file {dir}/broker.log\n\
             log_type all\n\
             connection_messages true\n\
             {extra_config}\n",
            dir = dir.display()
        );
        std::fs::write(dir.join("mosquitto.conf"), conf).expect("config");
        std::fs::write(dir.join("acl"), ACL).expect("acl");
        std::fs::write(dir.join("passwords"), format!("{RAMP_USER}:{}\n", mosquitto_hash(RAMP_PASSWORD)))
            .expect("password file");
        let mut broker = Broker { dir, port, child: None };
        broker.launch().await;
        broker
    }

    /// Starts the stopped broker again, on the same port and store.
    pub async fn start_again(&mut self) {
        assert!(self.child.is_none(), "the broker runs");
        self.launch().await;
    }

    async fn launch(&mut self) {
        let child = Command::new(mosquitto_path())
            .arg("-c")
            .arg(self.dir.join("mosquitto.conf"))
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .expect("start mosquitto (scripts/mosquitto installs Debian's)");
        let pid = child.id().expect("pid");
        std::fs::write(self.dir.join("broker.pid"), pid.to_string()).expect("pid file");
        self.child = Some(child);
        let deadline = Instant::now() + Duration::from_secs(15);
        while tokio::net::TcpStream::connect(("127.0.0.1", self.port)).await.is_err() {
            if let Some(status) = self.child.as_mut().and_then(|c| c.try_wait().ok().flatten()) {
                panic!("mosquitto exited ({status}): {}", self.log());
            }
            assert!(Instant::now() < deadline, "mosquitto did not listen on {} in time: {}", self.port, self.log());
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    }

    fn pid(&self) -> Option<u32> {
        self.child.as_ref().and_then(|c| c.id())
    }

    async fn signal(&self, sig: &str) {
        let Some(pid) = self.pid() else { return };
        let status = Command::new("kill").args([sig, &pid.to_string()]).status().await.expect("kill runs");
        assert!(status.success(), "kill {sig} {pid}");
    }

    /// Stops the broker as a service manager does (SIGTERM: it saves its
    /// persistent store) and waits for it to exit.
    pub async fn stop(&mut self) {
        self.signal("-TERM").await;
        if let Some(mut child) = self.child.take() {
            tokio::time::timeout(Duration::from_secs(15), child.wait())
                .await
                .expect("mosquitto exits on SIGTERM in time")
                .expect("wait");
        }
    }

    /// Stops and starts the broker on the same port and store.
    pub async fn restart(&mut self) {
        self.stop().await;
        self.launch().await;
    }

    /// The broker rereads its password and ACL files (SIGHUP).
    pub async fn reload(&self) {
        self.signal("-HUP").await;
    }

    /// The password file as Ramp keeps it, with a reload command that
    /// sends this broker SIGHUP (what `RAMP_MQTT_RELOAD_COMMAND` does in
    /// production, e.g. `systemctl reload mosquitto`).
    pub fn password_file(&self) -> MqttPasswordFile {
        MqttPasswordFile {
            path: self.dir.join("passwords"),
            reload_command: Some(format!("kill -HUP $(cat '{}')", self.dir.join("broker.pid").display())),
        }
    }

    /// Ramp's subscriber URL for this broker.
    pub fn ramp_url(&self) -> String {
        format!("mqtt://{RAMP_USER}:{RAMP_PASSWORD}@127.0.0.1:{}", self.port)
    }

    /// The broker's log so far.
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.join("broker.log")).unwrap_or_default()
    }

    /// Connects a device (username = device number, password = secret).
    pub async fn device(&self, device_number: &str, secret: &str) -> Result<Device, ConnectionError> {
        Device::connect(self.port, device_number, secret).await
    }

    /// Polls until `device_number` with `secret` is refused (after a
    /// revocation and reload), or panics at the deadline.
    pub async fn await_refused(&self, device_number: &str, secret: &str) -> ConnectionError {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            match self.device(device_number, secret).await {
                Err(e) => return e,
                Ok(d) => {
                    d.disconnect().await;
                    assert!(Instant::now() < deadline, "the broker still lets {device_number} in");
                    tokio::time::sleep(Duration::from_millis(20)).await;
                }
            }
        }
    }

    /// Polls until `device_number` with `secret` gets in (after its secret
    /// is issued and the broker reloaded), or panics at the deadline.
    pub async fn await_device(&self, device_number: &str, secret: &str) -> Device {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            match self.device(device_number, secret).await {
                Ok(d) => return d,
                Err(e) => {
                    assert!(Instant::now() < deadline, "the broker refuses {device_number}: {e}; {}", self.log());
                    tokio::time::sleep(Duration::from_millis(20)).await;
                }
            }
        }
    }
}

impl Drop for Broker {
    fn drop(&mut self) {
        if let Some(child) = self.child.as_mut() {
            let _ = child.start_kill();
        }
        if std::env::var_os("RAMP_KEEP_BROKER").is_none() {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

/// A device's MQTT connection (QoS 1, clean session).
pub struct Device {
    client: AsyncClient,
    acked: Arc<AtomicU64>,
    notify: Arc<tokio::sync::Notify>,
    sent: AtomicU64,
    task: tokio::task::JoinHandle<()>,
}

/// Whether a connection error is the broker's refusal of the credentials.
pub fn is_refused(e: &ConnectionError) -> bool {
    matches!(
        e,
        ConnectionError::ConnectionRefused(ConnectReturnCode::NotAuthorized | ConnectReturnCode::BadUserNamePassword)
    )
}

impl Device {
    pub async fn connect(port: u16, username: &str, password: &str) -> Result<Device, ConnectionError> {
        static N: AtomicU64 = AtomicU64::new(0);
        let id = format!("dev-{username}-{}-{}", std::process::id(), N.fetch_add(1, Ordering::Relaxed));
        let mut o = MqttOptions::new(id, "127.0.0.1", port);
        o.set_credentials(username, password);
        o.set_keep_alive(Duration::from_secs(30));
        o.set_clean_session(true);
        o.set_inflight(100);
        let (client, mut eventloop) = AsyncClient::new(o, 1024);
        loop {
            match eventloop.poll().await? {
                Event::Incoming(Packet::ConnAck(_)) => break,
                _ => continue,
            }
        }
        let acked = Arc::new(AtomicU64::new(0));
        let notify = Arc::new(tokio::sync::Notify::new());
        let (a, n) = (acked.clone(), notify.clone());
        let task = tokio::spawn(async move {
            loop {
                match eventloop.poll().await {
                    Ok(Event::Incoming(Packet::PubAck(_))) => {
                        a.fetch_add(1, Ordering::SeqCst);
                        n.notify_waiters();
                    }
                    Ok(_) => {}
                    Err(_) => tokio::time::sleep(Duration::from_millis(50)).await,
                }
            }
        });
        Ok(Device { client, acked, notify, sent: AtomicU64::new(0), task })
    }

    /// Publishes at QoS 1 without waiting for the broker's acknowledgement.
    pub async fn send(&self, topic: &str, payload: Vec<u8>) {
        self.sent.fetch_add(1, Ordering::SeqCst);
        self.client.publish(topic, QoS::AtLeastOnce, false, payload).await.expect("publish queued");
    }

    /// Waits until the broker acknowledged everything sent.
    pub async fn flush(&self) {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let waiter = self.notify.notified();
            if self.acked.load(Ordering::SeqCst) >= self.sent.load(Ordering::SeqCst) {
                return;
            }
            let left = deadline.saturating_duration_since(Instant::now());
            assert!(!left.is_zero(), "the broker did not acknowledge every publish in time");
            let _ = tokio::time::timeout(left.min(Duration::from_millis(200)), waiter).await;
        }
    }

    /// Publishes at QoS 1 and waits for the broker's acknowledgement.
    pub async fn publish(&self, topic: &str, payload: Vec<u8>) {
        self.send(topic, payload).await;
        self.flush().await;
    }

    pub async fn disconnect(self) {
        let _ = self.client.disconnect().await;
        self.task.abort();
    }
}
