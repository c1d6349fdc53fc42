//! The conditions that stop a run, as one [`Error`] type on the ground floor.
//!
//! Problems in the site's files are [`Diagnostics`], collected so one run reports all of them;
//! an `Error` is what ends the run instead: a folder that cannot be read or written, a port
//! that will not bind, an output folder that would destroy the site. Every variant says what
//! failed and on which path or address; the operating system's reason is its `#[source]`, so
//! it is printed once, as the "caused by" line, never also inside the message.
//!
//! Only [`Diagnostics`] (ground floor too) is imported: every stage can return this type
//! without pulling in another.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use crate::diagnostics::Diagnostics;

/// Conditions that stop a run.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The site has errors; they are all in the list.
    #[error("the site has {} error(s)", .0.error_count())]
    Site(Diagnostics),
    /// A file or folder could not be read.
    #[error("cannot read {}", path.display())]
    Read {
        /// The file or folder.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// A file or folder could not be written (or created, locked or swapped in).
    #[error("cannot write {}", path.display())]
    Write {
        /// The file or folder.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// The preview server could not listen on its address.
    #[error("cannot bind {addr}")]
    Bind {
        /// The address (the first port tried).
        addr: SocketAddr,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// The site folder could not be watched for changes.
    #[error("cannot watch {}", path.display())]
    Watch {
        /// The folder.
        path: PathBuf,
        /// Why.
        #[source]
        source: notify::Error,
    },
    /// The output folder would replace or sit inside the site's own files.
    #[error("refusing to use {} as the output folder: it would replace the site's own files", .0.display())]
    UnsafeOutput(PathBuf),
    /// A file that `new` would write exists already.
    #[error("{} exists already; presswerk new never overwrites a file", .0.display())]
    Exists(PathBuf),
    /// `import` was pointed at a DEST that is not empty.
    #[error("{} exists and is not empty; presswerk import only writes into a new or empty folder", .0.display())]
    ImportNotEmpty(PathBuf),
    /// `init` was pointed at a folder that is not empty.
    #[error("{} exists and is not empty; presswerk init only writes into a new or empty folder", .0.display())]
    NotEmpty(PathBuf),
}

impl Error {
    /// [`Error::Read`] of `path`.
    pub(crate) fn read(path: &Path, source: std::io::Error) -> Self {
        Error::Read {
            path: path.to_path_buf(),
            source,
        }
    }

    /// [`Error::Write`] of `path`.
    pub(crate) fn write(path: &Path, source: std::io::Error) -> Self {
        Error::Write {
            path: path.to_path_buf(),
            source,
        }
    }

    /// The message followed by its causes, one `caused by:` line each, as a terminal or the
    /// preview's error overlay shows it.
    pub fn with_causes(&self) -> String {
        let mut text = self.to_string();
        let mut cause = std::error::Error::source(self);
        while let Some(c) = cause {
            text.push_str(&format!("\n  caused by: {c}"));
            cause = c.source();
        }
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn os_error() -> std::io::Error {
        std::io::Error::new(std::io::ErrorKind::NotFound, "No such file or directory")
    }

    #[test]
    fn the_message_says_what_failed_and_the_reason_comes_once() {
        let read = Error::read(Path::new("content/x.md"), os_error());
        assert_eq!(
            read.with_causes(),
            "cannot read content/x.md\n  caused by: No such file or directory"
        );
        let write = Error::write(Path::new("public"), os_error());
        assert_eq!(write.to_string(), "cannot write public");
        let bind = Error::Bind {
            addr: SocketAddr::from(([127, 0, 0, 1], 1111)),
            source: std::io::Error::new(std::io::ErrorKind::AddrInUse, "Address in use"),
        };
        assert_eq!(
            bind.with_causes(),
            "cannot bind 127.0.0.1:1111\n  caused by: Address in use"
        );
    }

    #[test]
    fn errors_without_a_cause_are_one_line() {
        let e = Error::Exists(PathBuf::from("content/a.md"));
        assert_eq!(
            e.with_causes(),
            "content/a.md exists already; presswerk new never overwrites a file"
        );
    }
}
