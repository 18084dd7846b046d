//! A fresh directory per test, for the programs that work in the current
//! directory like their C originals (low_open's `data.txt`, file_client's
//! `receive.dat`).

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

/// A new, empty directory under the system temp dir, removed when dropped
/// (also when the test fails). Its name holds the test process's pid and a
/// counter, so parallel tests and repeated runs never share one.
pub struct TempDir(PathBuf);

impl TempDir {
    /// Creates `<tmp>/<name>_<pid>_<n>`.
    pub fn new(name: &str) -> TempDir {
        static COUNT: AtomicUsize = AtomicUsize::new(0);
        let unique = COUNT.fetch_add(1, Ordering::SeqCst);
        let dir = std::env::temp_dir()
            .join(format!("{name}_{}_{unique}", std::process::id()));
        std::fs::create_dir_all(&dir)
            .unwrap_or_else(|err| panic!("mkdir {dir:?}: {err}"));
        TempDir(dir)
    }

    /// The directory.
    pub fn path(&self) -> &Path {
        &self.0
    }

    /// A file in the directory.
    pub fn file(&self, name: &str) -> PathBuf {
        self.0.join(name)
    }

    /// The bytes of a file in the directory.
    pub fn read(&self, name: &str) -> Vec<u8> {
        std::fs::read(self.file(name))
            .unwrap_or_else(|err| panic!("read {name}: {err}"))
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
