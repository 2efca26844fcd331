//! The cost-responsibility agreements in force for a running server, and
//! their reloading: editing a file under the agreements directory takes
//! effect without a restart, and a broken file is refused while the
//! previous set stays in force.
//!
//! Readers take a cheap snapshot with [`Agreements::current`]; a reload
//! swaps the snapshot whole, so a decision never sees half a reload.

use ramp_domain::cost::{AgreementError, AgreementFile, AgreementSet};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError, RwLock};
use std::time::{Duration, SystemTime};

/// The agreement set in force, reloadable from its directory. `Send + Sync`.
#[derive(Debug)]
pub struct Agreements {
    /// `None`: the built-in agreements, which never change.
    dir: Option<PathBuf>,
    current: RwLock<Arc<AgreementSet>>,
    /// The content digest of the files behind `current`; held during a
    /// reload so that two reloads never interleave.
    loaded: Mutex<Option<[u8; 32]>>,
}

impl Agreements {
    /// The agreements compiled into the binary.
    pub fn builtin() -> Agreements {
        Agreements { dir: None, current: RwLock::new(Arc::new(AgreementSet::builtin())), loaded: Mutex::new(None) }
    }

    /// Reads `dir/<region>/<YYYY-MM-DD>.toml`; any broken file refuses the whole directory.
    pub fn from_dir(dir: PathBuf) -> Result<Agreements, AgreementError> {
        let digest = content_digest(&dir)?;
        let set = load_dir(&dir)?;
        Ok(Agreements { dir: Some(dir), current: RwLock::new(Arc::new(set)), loaded: Mutex::new(Some(digest)) })
    }

    /// The directory read from, or `None` for the built-in agreements.
    pub fn dir(&self) -> Option<&Path> {
        self.dir.as_deref()
    }

    /// The set in force now. The lock is held only to clone the `Arc`.
    pub fn current(&self) -> Arc<AgreementSet> {
        Arc::clone(&self.current.read().unwrap_or_else(PoisonError::into_inner))
    }

    /// Re-reads the directory. `Ok(true)` when the files changed and the new
    /// set is now in force, `Ok(false)` when nothing changed (always, for the
    /// built-in agreements). On error the previous set stays in force.
    pub fn reload(&self) -> Result<bool, AgreementError> {
        let Some(dir) = &self.dir else { return Ok(false) };
        let mut loaded = self.loaded.lock().unwrap_or_else(PoisonError::into_inner);
        let digest = content_digest(dir)?;
        if *loaded == Some(digest) {
            return Ok(false);
        }
        let set = load_dir(dir)?;
        *self.current.write().unwrap_or_else(PoisonError::into_inner) = Arc::new(set);
        *loaded = Some(digest);
        Ok(true)
    }

    /// Polls the directory's file names, sizes and modification times every
    /// `every` and reloads when they change: `info` on a reload, `warn` with
    /// file:line:column when a file is refused. The thread ends when every
    /// other handle to the store has been dropped (at once for the built-ins).
    pub fn spawn_watcher(self: Arc<Self>, every: Duration) -> std::thread::JoinHandle<()> {
        std::thread::Builder::new()
            .name("agreements-watcher".into())
            .spawn(move || self.watch(every))
            .expect("spawn the agreements watcher thread")
    }

    fn watch(self: Arc<Self>, every: Duration) {
        let Some(dir) = self.dir.clone() else { return };
        // `None`: the first poll compares contents, so an edit made before
        // the thread started is not missed.
        let mut seen: Option<Stamp> = None;
        loop {
            std::thread::sleep(every);
            if Arc::strong_count(&self) == 1 {
                return;
            }
            let now = Some(stamp(&dir));
            if now == seen {
                continue;
            }
            seen = now;
            match self.reload() {
                Ok(true) => {
                    let versions = describe(&self.current());
                    tracing::info!(dir = %dir.display(), %versions, "cost-responsibility agreements reloaded");
                }
                Ok(false) => {}
                Err(e) => tracing::warn!(
                    dir = %dir.display(),
                    file = %e.file,
                    line = e.line,
                    column = e.column,
                    "agreement refused, the previous agreements stay in force: {e}"
                ),
            }
        }
    }
}

/// `stockholm 2021-01-01, sormland 2021-01-01`: for the reload log line.
fn describe(set: &AgreementSet) -> String {
    let versions = set.agreements().map(|a| format!("{} {}", a.region(), a.version()));
    versions.collect::<Vec<_>>().join(", ")
}

/// Reads `dir/<region>/<YYYY-MM-DD>.toml` and hands the texts to the
/// domain. Any unreadable or broken file refuses the whole directory.
pub fn load_dir(dir: &Path) -> Result<AgreementSet, AgreementError> {
    let io_error = |file: &Path, e: std::io::Error| AgreementError {
        file: file.display().to_string(),
        line: 0,
        column: 0,
        message: e.to_string(),
    };
    let mut files = Vec::new();
    for path in agreement_files(dir).map_err(|e| io_error(dir, e))? {
        let text = std::fs::read_to_string(&path).map_err(|e| io_error(&path, e))?;
        let region_dir = path.parent().and_then(Path::file_name).map(|n| n.to_string_lossy().into_owned());
        files.push(AgreementFile {
            name: path.display().to_string(),
            region_dir: region_dir.unwrap_or_default(),
            text,
        });
    }
    AgreementSet::from_files(&files)
}

/// The agreement files of `dir`, as [`load_dir`] reads them:
/// `<region>/*.toml`, sorted.
fn agreement_files(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for region in sorted_entries(dir)? {
        if region.is_dir() {
            files.extend(sorted_entries(&region)?.into_iter().filter(|f| f.extension().is_some_and(|e| e == "toml")));
        }
    }
    Ok(files)
}

fn sorted_entries(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)?.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    Ok(paths)
}

/// A digest of every agreement file's path and content: "changed" means
/// the text changed, not merely the modification time.
fn content_digest(dir: &Path) -> Result<[u8; 32], AgreementError> {
    let io_error = |file: &Path, e: std::io::Error| AgreementError {
        file: file.display().to_string(),
        line: 0,
        column: 0,
        message: e.to_string(),
    };
    let mut hash = Sha256::new();
    for file in agreement_files(dir).map_err(|e| io_error(dir, e))? {
        let text = std::fs::read(&file).map_err(|e| io_error(&file, e))?;
        let name = file.strip_prefix(dir).unwrap_or(&file).to_string_lossy().into_owned();
        hash.update((name.len() as u64).to_le_bytes());
        hash.update(name.as_bytes());
        hash.update((text.len() as u64).to_le_bytes());
        hash.update(&text);
    }
    Ok(hash.finalize().into())
}

/// What the watcher compares between polls: (path, size, modified) of the
/// agreement files. A directory that cannot be read stamps as empty, so
/// its return is noticed too.
type Stamp = Vec<(PathBuf, u64, Option<SystemTime>)>;

fn stamp(dir: &Path) -> Stamp {
    let files = agreement_files(dir).unwrap_or_default();
    let meta = |f: PathBuf| {
        let m = std::fs::metadata(&f).ok();
        let size = m.as_ref().map_or(0, |m| m.len());
        (f, size, m.and_then(|m| m.modified().ok()))
    };
    files.into_iter().map(meta).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicU32, Ordering};

    /// A fresh directory under the system temp dir, removed on drop.
    struct TempDir(PathBuf);

    impl TempDir {
        fn new(name: &str) -> TempDir {
            static N: AtomicU32 = AtomicU32::new(0);
            let unique = format!("ramp-agreements-{name}-{}-{}", std::process::id(), N.fetch_add(1, Ordering::Relaxed));
            let dir = std::env::temp_dir().join(unique);
            let _ = std::fs::remove_dir_all(&dir);
            std::fs::create_dir_all(&dir).unwrap();
            TempDir(dir)
        }
    }

    impl Drop for TempDir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    fn shipped(region: &str) -> &'static str {
        let files = AgreementSet::builtin_files();
        files.iter().find(|(path, _)| path.contains(region)).map(|(_, text)| *text).unwrap()
    }

    /// A directory holding the shipped Stockholm agreement.
    fn stockholm_dir(name: &str) -> (TempDir, PathBuf) {
        let tmp = TempDir::new(name);
        let file = tmp.0.join("stockholm").join("2021-01-01.toml");
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(&file, shipped("stockholm")).unwrap();
        (tmp, file)
    }

    fn region_name(a: &Agreements) -> String {
        let set = a.current();
        let name = set.agreements().next().unwrap().region_name().to_string();
        name
    }

    #[test]
    fn the_store_is_shared_between_threads() {
        fn send_sync<T: Send + Sync>() {}
        send_sync::<Agreements>();
    }

    #[test]
    fn a_directory_with_a_valid_file_is_loaded() {
        let (tmp, _) = stockholm_dir("valid");
        let a = Agreements::from_dir(tmp.0.clone()).unwrap();
        let regions: Vec<String> = a.current().regions().into_iter().map(|r| r.code).collect();
        assert_eq!(regions, ["stockholm"]);
        assert_eq!(a.reload(), Ok(false), "nothing changed");
    }

    #[test]
    fn a_reload_after_an_edit_puts_the_edited_agreement_in_force() {
        let (tmp, file) = stockholm_dir("edit");
        let a = Agreements::from_dir(tmp.0.clone()).unwrap();
        let before = a.current();
        let edited =
            shipped("stockholm").replace("region_name = \"Region Stockholm\"", "region_name = \"Region Sthlm\"");
        assert_ne!(edited, shipped("stockholm"), "fixture edit did not apply");
        std::fs::write(&file, edited).unwrap();

        assert_eq!(a.reload(), Ok(true));

        assert_eq!(region_name(&a), "Region Sthlm");
        assert_eq!(before.agreements().next().unwrap().region_name(), "Region Stockholm", "a snapshot never changes");
    }

    #[test]
    fn a_new_version_file_is_picked_up_by_a_reload() {
        let (tmp, file) = stockholm_dir("new-version");
        let a = Agreements::from_dir(tmp.0.clone()).unwrap();
        let text = shipped("stockholm").replace("effective_from = 2021-01-01", "effective_from = 2023-01-01");
        std::fs::write(file.with_file_name("2023-01-01.toml"), text).unwrap();

        assert_eq!(a.reload(), Ok(true));

        let versions = &a.current().regions()[0].versions;
        assert_eq!(versions.len(), 2);
    }

    #[test]
    fn a_broken_edit_is_refused_with_its_line_and_the_previous_version_stays_in_force() {
        let (tmp, file) = stockholm_dir("broken");
        let a = Agreements::from_dir(tmp.0.clone()).unwrap();
        let broken = shipped("stockholm").replacen("[[rule]]", "[[rule]]\npayer = = \"nobody\"", 1);
        std::fs::write(&file, &broken).unwrap();

        let err = a.reload().unwrap_err();

        let line = broken.lines().position(|l| l.starts_with("payer = =")).unwrap() + 1;
        assert_eq!((err.file.as_str(), err.line), (file.display().to_string().as_str(), line), "{err}");
        assert!(err.column > 0);
        assert_eq!(region_name(&a), "Region Stockholm");
        assert_eq!(a.reload().map_err(|e| e.line), Err(line), "still refused on the next attempt");
    }

    #[test]
    fn a_fixed_file_after_a_refusal_is_loaded() {
        let (tmp, file) = stockholm_dir("fixed");
        let a = Agreements::from_dir(tmp.0.clone()).unwrap();
        std::fs::write(&file, "region = ").unwrap();
        assert!(a.reload().is_err());
        std::fs::write(&file, shipped("stockholm").replace("Region Stockholm\"", "Region Stockholm (fixed)\""))
            .unwrap();

        assert_eq!(a.reload(), Ok(true));

        assert_eq!(region_name(&a), "Region Stockholm (fixed)");
    }

    #[test]
    fn a_broken_directory_is_refused_at_start() {
        let (tmp, file) = stockholm_dir("broken-start");
        std::fs::write(&file, "region = \"stockholm\"\nnonsense\n").unwrap();
        let err = Agreements::from_dir(tmp.0.clone()).unwrap_err();
        assert_eq!(err.line, 2, "{err}");
    }

    #[test]
    fn the_builtin_agreements_never_reload() {
        let a = Agreements::builtin();
        assert_eq!(a.reload(), Ok(false));
        assert_eq!(a.current().regions().len(), 3);
        assert!(Arc::new(a).spawn_watcher(Duration::from_millis(1)).join().is_ok());
    }

    #[test]
    fn the_watcher_reloads_an_edited_file_and_stops_when_the_store_is_dropped() {
        let (tmp, file) = stockholm_dir("watcher");
        let a = Arc::new(Agreements::from_dir(tmp.0.clone()).unwrap());
        let watcher = Arc::clone(&a).spawn_watcher(Duration::from_millis(10));
        std::fs::write(&file, shipped("stockholm").replace("Region Stockholm\"", "Region Stockholm (watched)\""))
            .unwrap();

        let deadline = std::time::Instant::now() + Duration::from_secs(10);
        while region_name(&a) != "Region Stockholm (watched)" && std::time::Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(10));
        }

        assert_eq!(region_name(&a), "Region Stockholm (watched)");
        drop(a);
        watcher.join().unwrap();
    }
}
