//! `--state FILE`: the mock's tasks survive a restart, and a crash loses nothing acknowledged.
//!
//! The file is a log of the changes the mock made — tasks created and deleted, resets, clock
//! moves — one JSON line each, after a first line recording the options the stores were built
//! with. A change is applied and its line written and flushed to disk (`fsync`) under one lock,
//! before the client gets its answer, so the log order is the order the changes happened in.
//!
//! Nothing derived is stored: ids, run times and outcomes come from generators seeded by the
//! recorded seed, so replaying the same changes, in the same order, at the same mock times,
//! rebuilds exactly the same tasks — and the same ids for tasks created after the restart. A
//! crash can tear only the last line, which was never acknowledged: it is cut off at start.
//!
//! A reset makes everything before it irrelevant, so it rewrites the file (atomically, by
//! renaming a complete new file over it): resetting is how a long-lived mock's log is compacted.

use super::clock::{Clock, EpochMs};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// The part name of clock changes (advance, speed).
pub const CLOCK_PART: &str = "clock";

/// What the first line holds: the stores' inputs, which a replay must use to reproduce them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Header {
    /// Names the format, so another file given by mistake is refused rather than misread.
    pub format: String,
    pub seed: u64,
    pub demo_tasks: usize,
    pub task_duration_ms: i64,
    pub fail_rate: f64,
}

impl Header {
    pub const FORMAT: &'static str = "export-desk-mock-state/1";

    pub fn new(seed: u64, demo_tasks: usize, task_duration_ms: i64, fail_rate: f64) -> Self {
        Self { format: Self::FORMAT.to_owned(), seed, demo_tasks, task_duration_ms, fail_rate }
    }
}

/// One change: which part of the mock it belongs to, when (mock time), and what it was.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    pub at_ms: EpochMs,
    pub part: String,
    pub change: serde_json::Value,
}

impl Entry {
    /// The change as the type its part records it with.
    pub fn change<T: DeserializeOwned>(&self) -> Result<T, StateError> {
        serde_json::from_value(self.change.clone())
            .map_err(|err| StateError::Corrupt(format!("a `{}` change cannot be read: {err}", self.part)))
    }
}

#[derive(Debug, thiserror::Error)]
pub enum StateError {
    #[error("state file {path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    #[error("state file is corrupt: {0} (move it away to start afresh)")]
    Corrupt(String),
}

/// What the file held at start.
#[derive(Debug)]
pub struct Recovered {
    /// The options the stores must be built with: the file's, or the command line's for a new file.
    pub header: Header,
    /// The changes to replay, oldest first; empty for a new file.
    pub entries: Vec<Entry>,
    /// Bytes of a torn last line that were cut off.
    pub torn_bytes: usize,
}

/// The state file, or nothing when the mock runs without `--state`: every change then just applies.
pub struct StateFile {
    clock: Arc<Clock>,
    file: Option<Mutex<Open>>,
}

struct Open {
    path: PathBuf,
    file: File,
    header: Header,
}

impl StateFile {
    /// Changes are applied and forgotten.
    pub fn in_memory(clock: Arc<Clock>) -> Self {
        Self { clock, file: None }
    }

    /// Opens (or creates) the file at `path` and reads what it holds. A new file is written with
    /// `header`; an existing one keeps its own, which [`Recovered::header`] returns.
    pub fn open(path: &Path, header: Header, clock: Arc<Clock>) -> Result<(Self, Recovered), StateError> {
        let io = |source| StateError::Io { path: path.to_owned(), source };
        let mut file = OpenOptions::new().read(true).write(true).create(true).truncate(false).open(path).map_err(io)?;
        let mut bytes = Vec::new();
        file.read_to_end(&mut bytes).map_err(io)?;
        let (recovered, good_len) = parse(&bytes, header)?;
        if bytes.is_empty() {
            let line = json_line(&recovered.header);
            file.write_all(&line).and_then(|()| file.sync_data()).map_err(io)?;
            sync_parent(path).map_err(io)?;
        } else if good_len < bytes.len() {
            file.set_len(good_len as u64).and_then(|()| file.sync_data()).map_err(io)?;
        }
        file.seek(SeekFrom::End(0)).map_err(io)?;
        let open = Open { path: path.to_owned(), file, header: recovered.header.clone() };
        Ok((Self { clock, file: Some(Mutex::new(open)) }, recovered))
    }

    /// Applies a change at the current mock time and, with a file, records it before returning.
    /// Changes are applied one at a time, so the log's order is the order they happened in, and
    /// with the clock held (see [`Clock::hold`]), so the change sees the time the log records.
    pub fn commit<T>(
        &self,
        part: &str,
        change: &impl Serialize,
        apply: impl FnOnce(EpochMs) -> T,
    ) -> Result<T, StateError> {
        self.record(part, |clock| clock.hold(|at_ms| (apply(at_ms), change, at_ms)))
    }

    /// [`commit`](Self::commit) for a change that may be refused: only an `Ok` is recorded,
    /// since a refused change changed nothing.
    pub fn commit_unless_refused<T, E>(
        &self,
        part: &str,
        change: &impl Serialize,
        apply: impl FnOnce(EpochMs) -> Result<T, E>,
    ) -> Result<Result<T, E>, StateError> {
        let Some(file) = &self.file else { return Ok(self.clock.hold(apply)) };
        let mut open = file.lock().expect("state file lock");
        let (result, at_ms) = self.clock.hold(|at_ms| (apply(at_ms), at_ms));
        if result.is_ok() {
            open.append(&entry(at_ms, part, change))?;
        }
        Ok(result)
    }

    /// A change of the clock itself, which must not be held: `apply` changes it and returns
    /// what to record, which is recorded at the time the clock reads after the change.
    pub fn commit_clock_with<T, C: Serialize>(&self, apply: impl FnOnce(&Clock) -> (T, C)) -> Result<T, StateError> {
        self.record(CLOCK_PART, |clock| {
            let (result, change) = apply(clock);
            (result, change, clock.now_ms())
        })
    }

    /// [`commit_clock_with`](Self::commit_clock_with) for a change known beforehand.
    pub fn commit_clock<T>(&self, change: &impl Serialize, apply: impl FnOnce(&Clock) -> T) -> Result<T, StateError> {
        self.commit_clock_with(|clock| (apply(clock), change))
    }

    /// Applies (under the file's lock, when there is a file) and appends the change's line.
    fn record<T, C: Serialize>(
        &self,
        part: &str,
        apply: impl FnOnce(&Clock) -> (T, C, EpochMs),
    ) -> Result<T, StateError> {
        let Some(file) = &self.file else { return Ok(apply(&self.clock).0) };
        let mut open = file.lock().expect("state file lock");
        let (result, change, at_ms) = apply(&self.clock);
        let line = json_line(&entry(at_ms, part, &change));
        let path = open.path.clone();
        open.file
            .write_all(&line)
            .and_then(|()| open.file.sync_data())
            .map_err(|source| StateError::Io { path, source })?;
        Ok(result)
    }

    /// Applies a change that makes everything before it irrelevant (a reset) and starts the
    /// file afresh with it: a complete new file is renamed over the old one, so a crash leaves
    /// one or the other, never a mix.
    pub fn commit_restart<T>(
        &self,
        part: &str,
        change: &impl Serialize,
        apply: impl FnOnce(EpochMs) -> T,
    ) -> Result<T, StateError> {
        let Some(file) = &self.file else { return Ok(self.clock.hold(apply)) };
        let mut open = file.lock().expect("state file lock");
        let (result, at_ms) = self.clock.hold(|at_ms| (apply(at_ms), at_ms));
        let path = open.path.clone();
        let io = |source| StateError::Io { path: path.clone(), source };
        let fresh_path = path.with_extension("new");
        let mut fresh = File::create(&fresh_path).map_err(io)?;
        fresh.write_all(&json_line(&open.header)).map_err(io)?;
        fresh.write_all(&json_line(&entry(at_ms, part, change))).map_err(io)?;
        fresh.sync_data().map_err(io)?;
        std::fs::rename(&fresh_path, &path).map_err(io)?;
        sync_parent(&path).map_err(io)?;
        open.file = fresh;
        Ok(result)
    }

    pub fn path(&self) -> Option<PathBuf> {
        self.file.as_ref().map(|file| file.lock().expect("state file lock").path.clone())
    }
}

impl Open {
    /// Appends one line and waits until it is on disk.
    fn append(&mut self, entry: &Entry) -> Result<(), StateError> {
        let line = json_line(entry);
        self.file
            .write_all(&line)
            .and_then(|()| self.file.sync_data())
            .map_err(|source| StateError::Io { path: self.path.clone(), source })
    }
}

fn entry(at_ms: EpochMs, part: &str, change: &impl Serialize) -> Entry {
    let change = serde_json::to_value(change).expect("changes are plain data");
    Entry { at_ms, part: part.to_owned(), change }
}

fn json_line(value: &impl Serialize) -> Vec<u8> {
    let mut line = serde_json::to_vec(value).expect("state lines are plain data");
    line.push(b'\n');
    line
}

/// A rename or a new file is durable only once its directory is.
fn sync_parent(path: &Path) -> std::io::Result<()> {
    let parent = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    File::open(parent)?.sync_all()
}

/// Reads the header and entries; returns them and the length of the intact part of the file.
fn parse(bytes: &[u8], header: Header) -> Result<(Recovered, usize), StateError> {
    let complete = bytes.iter().rposition(|&b| b == b'\n').map_or(0, |last| last + 1);
    let torn_bytes = bytes.len() - complete;
    let mut lines = bytes[..complete].split(|&b| b == b'\n').filter(|line| !line.is_empty()).enumerate();
    let Some((_, first)) = lines.next() else {
        // New (or torn before its first line was acknowledged): start with the given options.
        return Ok((Recovered { header, entries: Vec::new(), torn_bytes }, 0));
    };
    let header: Header = serde_json::from_slice(first).map_err(|err| {
        StateError::Corrupt(format!("line 1 is not an Export Desk state header ({err}); is this the right file?"))
    })?;
    if header.format != Header::FORMAT {
        return Err(StateError::Corrupt(format!(
            "line 1 names format `{}`, this server reads `{}`",
            header.format,
            Header::FORMAT
        )));
    }
    let entries = lines
        .map(|(index, line)| {
            serde_json::from_slice::<Entry>(line)
                .map_err(|err| StateError::Corrupt(format!("line {} cannot be read: {err}", index + 1)))
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok((Recovered { header, entries, torn_bytes }, complete))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header() -> Header {
        Header::new(7, 3, 20_000, 0.1)
    }

    fn temp_path(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("export-desk-state-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir.join("state.jsonl")
    }

    fn clock() -> Arc<Clock> {
        Arc::new(Clock::starting_at(1_800_000_000_000, 0.000_001))
    }

    #[test]
    fn changes_are_read_back_in_order_with_their_times_and_the_original_header() {
        let path = temp_path("order");
        let clock = clock();
        let (state, recovered) = StateFile::open(&path, header(), Arc::clone(&clock)).unwrap();
        assert!(recovered.entries.is_empty());
        assert_eq!(state.commit("a", &serde_json::json!({"n": 1}), |at| at).unwrap(), 1_800_000_000_000);
        clock.advance(5);
        state.commit("b", &serde_json::json!({"n": 2}), |_| ()).unwrap();
        drop(state);

        let other = Header::new(99, 0, 1, 0.5);
        let (_, recovered) = StateFile::open(&path, other, clock).unwrap();
        assert_eq!(recovered.header, header(), "the file's options win");
        let parts: Vec<(&str, EpochMs)> = recovered.entries.iter().map(|e| (e.part.as_str(), e.at_ms)).collect();
        assert_eq!(parts, [("a", 1_800_000_000_000), ("b", 1_800_000_000_005)]);
        assert_eq!(recovered.entries[1].change::<serde_json::Value>().unwrap()["n"], 2);
    }

    #[test]
    fn a_torn_last_line_is_cut_off_and_the_log_goes_on_after_it() {
        let path = temp_path("torn");
        let (state, _) = StateFile::open(&path, header(), clock()).unwrap();
        state.commit("a", &1, |_| ()).unwrap();
        drop(state);
        let mut file = OpenOptions::new().append(true).open(&path).unwrap();
        file.write_all(br#"{"at_ms":1,"part":"b","cha"#).unwrap();
        drop(file);

        let (state, recovered) = StateFile::open(&path, header(), clock()).unwrap();
        assert_eq!((recovered.entries.len(), recovered.torn_bytes), (1, 26));
        state.commit("c", &3, |_| ()).unwrap();
        drop(state);
        let (_, recovered) = StateFile::open(&path, header(), clock()).unwrap();
        let parts: Vec<&str> = recovered.entries.iter().map(|e| e.part.as_str()).collect();
        assert_eq!(parts, ["a", "c"]);
    }

    #[test]
    fn a_restart_replaces_the_log_with_itself() {
        let path = temp_path("restart");
        let (state, _) = StateFile::open(&path, header(), clock()).unwrap();
        for n in 0..5 {
            state.commit("a", &n, |_| ()).unwrap();
        }
        state.commit_restart("reset", &serde_json::json!({"seed": 3}), |_| ()).unwrap();
        state.commit("a", &6, |_| ()).unwrap();
        drop(state);
        let (_, recovered) = StateFile::open(&path, header(), clock()).unwrap();
        let parts: Vec<&str> = recovered.entries.iter().map(|e| e.part.as_str()).collect();
        assert_eq!(parts, ["reset", "a"]);
        assert!(!path.with_extension("new").exists());
    }

    #[test]
    fn a_file_that_is_not_a_state_log_is_refused_not_overwritten() {
        let path = temp_path("foreign");
        std::fs::write(&path, "hello\nworld\n").unwrap();
        let error = StateFile::open(&path, header(), clock()).err().expect("refused").to_string();
        assert!(error.contains("line 1") && error.contains("right file"), "{error}");
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "hello\nworld\n");

        let path = temp_path("bad-middle");
        let (state, _) = StateFile::open(&path, header(), clock()).unwrap();
        state.commit("a", &1, |_| ()).unwrap();
        drop(state);
        let mut text = std::fs::read_to_string(&path).unwrap();
        text.push_str("not json\n{\"at_ms\":1,\"part\":\"a\",\"change\":2}\n");
        std::fs::write(&path, &text).unwrap();
        let error = StateFile::open(&path, header(), clock()).err().expect("refused").to_string();
        assert!(error.contains("line 3"), "{error}");
    }
}
