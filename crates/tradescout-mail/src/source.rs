//! Where mail comes from: paths given by the user (`.eml` files, mbox files, Maildir folders
//! or folders of those) turned into a stream of raw messages, one at a time.

use crate::error::MailError;
use crate::maildir;
use crate::mbox::MboxReader;
use std::fs::File;
use std::io::{BufReader, Read};
use std::path::{Path, PathBuf};

/// The kind of a mail source.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceKind {
    /// One RFC 5322 message.
    Eml,
    /// Many messages separated by `From ` lines.
    Mbox,
    /// A Maildir folder.
    Maildir,
}

/// One input found under the user's paths.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    pub path: PathBuf,
    pub kind: SourceKind,
}

/// One raw message read from a source, or why it could not be read.
#[derive(Debug)]
pub struct RawItem {
    /// The file the message came from.
    pub source: PathBuf,
    /// 1-based position of the message within `source` (always 1 for an `.eml`).
    pub position: usize,
    pub raw: Result<Vec<u8>, MailError>,
}

/// File names in mail folders that are client bookkeeping, not mail.
const IGNORED_SUFFIXES: &[&str] = &[
    ".msf",
    ".dat",
    ".json",
    ".sqlite",
    ".db",
    ".idx",
    ".index",
    ".lock",
    ".log",
    ".ds_store",
    ".cache",
    ".uidvalidity",
    ".keywords",
    ".subscriptions",
];
const IGNORED_PREFIXES: &[&str] = &["dovecot", "courierimap", "maildirfolder", "."];
const MAX_DEPTH: usize = 16;

/// Classifies every path (recursing into folders) into sources. Paths that cannot be read are
/// reported with the reason; files in folders that are clearly not mail are skipped.
pub fn discover(paths: &[PathBuf]) -> (Vec<Source>, Vec<(PathBuf, MailError)>) {
    let mut sources = Vec::new();
    let mut errors = Vec::new();
    for path in paths {
        discover_one(path, true, 0, &mut sources, &mut errors);
    }
    (sources, errors)
}

fn discover_one(
    path: &Path,
    explicit: bool,
    depth: usize,
    sources: &mut Vec<Source>,
    errors: &mut Vec<(PathBuf, MailError)>,
) {
    let meta = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(source) => {
            errors.push((
                path.to_path_buf(),
                MailError::Io {
                    path: path.to_path_buf(),
                    source,
                },
            ));
            return;
        }
    };
    if meta.is_dir() {
        if depth > MAX_DEPTH {
            return;
        }
        if maildir::is_maildir(path) {
            sources.push(Source {
                path: path.to_path_buf(),
                kind: SourceKind::Maildir,
            });
            for sub in maildir::subfolders(path) {
                sources.push(Source {
                    path: sub,
                    kind: SourceKind::Maildir,
                });
            }
            return;
        }
        let mut children: Vec<PathBuf> = match std::fs::read_dir(path) {
            Ok(rd) => rd.filter_map(Result::ok).map(|e| e.path()).collect(),
            Err(source) => {
                errors.push((
                    path.to_path_buf(),
                    MailError::Io {
                        path: path.to_path_buf(),
                        source,
                    },
                ));
                return;
            }
        };
        children.sort();
        for child in children {
            // Do not follow symlinked folders: they can loop.
            let is_link = std::fs::symlink_metadata(&child)
                .map(|m| m.file_type().is_symlink())
                .unwrap_or(true);
            if is_link && child.is_dir() {
                continue;
            }
            discover_one(&child, false, depth + 1, sources, errors);
        }
        return;
    }
    if !explicit && is_ignored(path) {
        return;
    }
    match sniff(path) {
        Ok(Some(kind)) => sources.push(Source {
            path: path.to_path_buf(),
            kind,
        }),
        Ok(None) if explicit => sources.push(Source {
            path: path.to_path_buf(),
            kind: SourceKind::Eml,
        }),
        Ok(None) => {}
        Err(source) => errors.push((
            path.to_path_buf(),
            MailError::Io {
                path: path.to_path_buf(),
                source,
            },
        )),
    }
}

fn is_ignored(path: &Path) -> bool {
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default()
        .to_ascii_lowercase();
    IGNORED_SUFFIXES.iter().any(|s| name.ends_with(s))
        || IGNORED_PREFIXES.iter().any(|p| name.starts_with(p))
}

/// Mbox if the file starts with a `From ` line, a message if it starts with a header line,
/// otherwise unknown.
fn sniff(path: &Path) -> std::io::Result<Option<SourceKind>> {
    let mut head = [0u8; 512];
    let mut file = File::open(path)?;
    let n = read_up_to(&mut file, &mut head)?;
    Ok(sniff_bytes(&head[..n]))
}

/// See [`sniff`]; works on the first bytes of any input.
pub fn sniff_bytes(head: &[u8]) -> Option<SourceKind> {
    let start = head
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(head.len());
    let head = &head[start..];
    if head.starts_with(b"From ") {
        return Some(SourceKind::Mbox);
    }
    let first_line = head.split(|b| *b == b'\n').next().unwrap_or_default();
    let colon = first_line.iter().position(|b| *b == b':')?;
    let name = &first_line[..colon];
    if !name.is_empty()
        && name.len() < 80
        && name
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || *b == b'-' || *b == b'_')
    {
        Some(SourceKind::Eml)
    } else {
        None
    }
}

fn read_up_to(r: &mut impl Read, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match r.read(&mut buf[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(n)
}

/// Reads one whole file with a size cap, without reading past the cap.
pub fn read_file_capped(path: &Path, max: u64) -> Result<Vec<u8>, MailError> {
    let file = File::open(path).map_err(|source| MailError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let size = file.metadata().map(|m| m.len()).unwrap_or(0);
    if size > max {
        return Err(MailError::TooLarge { size, limit: max });
    }
    let mut buf = Vec::with_capacity(size as usize);
    file.take(max + 1)
        .read_to_end(&mut buf)
        .map_err(|source| MailError::Io {
            path: path.to_path_buf(),
            source,
        })?;
    if buf.len() as u64 > max {
        return Err(MailError::TooLarge {
            size: buf.len() as u64,
            limit: max,
        });
    }
    Ok(buf)
}

/// Streams the raw messages of many sources in order, holding one message at a time.
pub struct RawMessages {
    sources: std::vec::IntoIter<Source>,
    current: Option<Current>,
    max_message_bytes: u64,
}

enum Current {
    Mbox(PathBuf, Box<MboxReader<BufReader<File>>>),
    Files(std::vec::IntoIter<PathBuf>),
}

impl RawMessages {
    pub fn new(sources: Vec<Source>, max_message_bytes: u64) -> Self {
        RawMessages {
            sources: sources.into_iter(),
            current: None,
            max_message_bytes,
        }
    }
}

impl Iterator for RawMessages {
    type Item = RawItem;

    fn next(&mut self) -> Option<RawItem> {
        loop {
            match &mut self.current {
                Some(Current::Mbox(path, reader)) => match reader.next() {
                    Some(Ok(entry)) => {
                        return Some(RawItem {
                            source: path.clone(),
                            position: entry.position,
                            raw: Ok(entry.raw),
                        })
                    }
                    Some(Err(e)) => {
                        let position = reader.message_position().max(1);
                        return Some(RawItem {
                            source: path.clone(),
                            position,
                            raw: Err(e),
                        });
                    }
                    None => self.current = None,
                },
                Some(Current::Files(files)) => match files.next() {
                    Some(file) => {
                        let raw = read_file_capped(&file, self.max_message_bytes);
                        return Some(RawItem {
                            source: file,
                            position: 1,
                            raw,
                        });
                    }
                    None => self.current = None,
                },
                None => {
                    let source = self.sources.next()?;
                    match source.kind {
                        SourceKind::Eml => {
                            self.current = Some(Current::Files(vec![source.path].into_iter()));
                        }
                        SourceKind::Maildir => match maildir::message_files(&source.path) {
                            Ok(files) => self.current = Some(Current::Files(files.into_iter())),
                            Err(e) => {
                                return Some(RawItem {
                                    source: source.path,
                                    position: 1,
                                    raw: Err(e),
                                })
                            }
                        },
                        SourceKind::Mbox => match File::open(&source.path) {
                            Ok(f) => {
                                let reader = MboxReader::new(
                                    BufReader::with_capacity(256 * 1024, f),
                                    self.max_message_bytes,
                                );
                                self.current = Some(Current::Mbox(source.path, Box::new(reader)));
                            }
                            Err(e) => {
                                return Some(RawItem {
                                    source: source.path.clone(),
                                    position: 1,
                                    raw: Err(MailError::Io {
                                        path: source.path,
                                        source: e,
                                    }),
                                })
                            }
                        },
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffing_tells_mbox_from_message_from_other_files() {
        assert_eq!(
            sniff_bytes(b"From a@b Mon Mar  3 10:00:00 2025\n"),
            Some(SourceKind::Mbox)
        );
        assert_eq!(
            sniff_bytes(b"Return-Path: <a@b>\nSubject: x\n"),
            Some(SourceKind::Eml)
        );
        assert_eq!(sniff_bytes(b"\x89PNG\r\n"), None);
        assert_eq!(sniff_bytes(b"hello world: not a header\n"), None);
    }

    #[test]
    fn folders_of_mixed_sources_are_discovered_and_streamed(
    ) -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        let root = dir.path();
        std::fs::write(root.join("one.eml"), b"Subject: one\n\nhello\n")?;
        std::fs::write(root.join("box.mbox"), b"From a Mon Mar  3 10:00:00 2025\nSubject: a\n\nx\n\nFrom b Mon Mar  3 10:00:00 2025\nSubject: b\n\ny\n")?;
        std::fs::write(root.join("picture.png"), b"\x89PNG\r\n")?;
        std::fs::write(root.join("Inbox.msf"), b"// index")?;
        let md = root.join("Maildir");
        for sub in ["cur", "new", "tmp"] {
            std::fs::create_dir_all(md.join(sub))?;
        }
        std::fs::write(md.join("new/1.host"), b"Subject: md\n\nz\n")?;
        let (sources, errors) = discover(&[root.to_path_buf()]);
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(sources.len(), 3, "{sources:?}");
        let items: Vec<RawItem> = RawMessages::new(sources, 1 << 20).collect();
        assert_eq!(items.len(), 4);
        assert!(items.iter().all(|i| i.raw.is_ok()));
        Ok(())
    }

    #[test]
    fn a_missing_path_is_reported_by_name() {
        let (sources, errors) = discover(&[PathBuf::from("/nonexistent/inbox.mbox")]);
        assert!(sources.is_empty());
        assert_eq!(errors.len(), 1);
        assert!(errors[0].1.to_string().contains("/nonexistent/inbox.mbox"));
    }
}
