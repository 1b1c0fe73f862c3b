//! `--state FILE`: the mock's tasks survive a restart, and the file never disagrees with what
//! clients were told.
//!
//! The file is a log of the changes the mock made — tasks created and deleted, resets, clock
//! moves — one JSON line each, after a first line recording the options the stores were built
//! with. Changes are made one at a time under one lock, so the log order is the order they
//! happened in.
//!
//! **Write-ahead.** A change's line is written and flushed to disk (`fsync`) *before* the change
//! is applied in memory. If the write fails (a full disk, a file-size limit), the file is cut back
//! to its last complete line and the change is not applied at all: the client gets an error and
//! nothing it could see changed — no task, no id used, no draw from the seeded generators, so
//! the ids of later tasks are those a replay of the file gives. If even the cut fails, the file's
//! end is unknown: every later change is refused (a server error) rather than written after a torn
//! line; a reset, which writes a whole new file, makes it usable again. A change the store then
//! refuses (IoTDA's five unfinished tasks, say) has its line cut off again; should a crash leave it
//! there, the replay refuses it the same way, so it changes nothing then either.
//!
//! Nothing derived is stored: ids, run times and outcomes come from generators seeded by the
//! recorded seed, so replaying the same changes, in the same order, at the same mock times,
//! rebuilds exactly the same tasks — and the same ids for tasks created after the restart. A
//! crash can tear only the last line, which was never acknowledged: it is cut off at start.
//! Anything else that does not read back — a damaged line, an option out of range, a change no
//! store accepts — refuses the start with the line named; no content of the file can panic.
//!
//! A reset makes everything before it irrelevant, so it writes a complete new file (header,
//! reset, clock) and renames it over the old one before the reset is applied: a crash or a full
//! disk leaves the old file and the old state, never half of each.
//!
//! **Compaction.** Dropping old lines would change later ids (they come from the generators'
//! draws), so when the log outgrows what it describes the file is instead rewritten as the stores
//! stand (see [`Compacted`], [`Snapshot`]): per store, its generators' exact position and counters,
//! then each task as it is; then the clock. Replayed, that rebuilds the same stores, so later
//! changes give the same ids as from the full log. `Open::compaction_due` says when.

use super::clock::{Clock, EpochMs, EARLIEST_MS, LATEST_MS, MAX_SPEED};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock, PoisonError, Weak};

/// The part name of clock changes (advance, speed).
pub const CLOCK_PART: &str = "clock";

/// The latest time a file may record for a task (a finish may lie a run time past the clock's
/// latest): the end of year 9999. Far beyond any task, yet so far below `i64::MAX` that adding a
/// run time or a year to it cannot overflow. The clock itself stays within
/// [`EARLIEST_MS`]`..=`[`LATEST_MS`] (2000–2100), which changes and clock anchors are held to.
pub const RECORDED_TIME_MAX_MS: EpochMs = 253_402_300_799_999;

/// The most demo tasks a file may record, in its header or a reset; `/_mock/reset` is held to it
/// too. More than a person pages through; a slip of extra digits should not stall the mock.
pub(crate) const MAX_DEMO_TASKS: usize = 100_000;

/// The longest `--task-duration` a file may record: a year. A task's run is drawn from it, and
/// added to mock times, so it must stay far from overflowing.
pub const TASK_DURATION_MAX_MS: i64 = 366 * 24 * 3_600_000;

/// The fastest clock a file may record: the fastest the clock runs.
pub const CLOCK_SPEED_MAX: f64 = MAX_SPEED;

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

    /// Whether the stores can be built from these options: the command line's bounds, checked again
    /// for what a file holds (a hand-edited or damaged file must not crash the start) and for the
    /// options of a mock without a file.
    pub fn check(&self) -> Result<(), String> {
        if self.format != Self::FORMAT {
            return Err(format!("names format `{}`, this server reads `{}`", self.format, Self::FORMAT));
        }
        if !(0.0..=1.0).contains(&self.fail_rate) {
            return Err(format!("fail_rate {} is outside 0..=1", self.fail_rate));
        }
        if self.demo_tasks > MAX_DEMO_TASKS {
            return Err(format!("demo_tasks {} is more than {}", self.demo_tasks, MAX_DEMO_TASKS));
        }
        if !(0..=TASK_DURATION_MAX_MS).contains(&self.task_duration_ms) {
            return Err(format!(
                "task_duration_ms {} is outside 0..={TASK_DURATION_MAX_MS} (a year)",
                self.task_duration_ms
            ));
        }
        Ok(())
    }
}

/// One change: which part of the mock it belongs to, when (mock time), and what it was.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    pub at_ms: EpochMs,
    pub part: String,
    pub change: serde_json::Value,
    /// The file's line this came from (1 is the header), for errors; not written.
    #[serde(skip)]
    pub line: usize,
    /// Where the line ends in the file (the offset after its newline); not written.
    #[serde(skip)]
    pub end: u64,
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
    /// A failed write could not be cut back off: the file's end is unknown, so nothing more is
    /// written to it until a reset replaces it.
    #[error("state file {path} is unusable since a failed write could not be undone ({reason}); changes are refused until a reset or a restart")]
    Unusable { path: PathBuf, reason: String },
    /// Options outside what the mock can run with (the command line holds them to the same
    /// bounds; this is for a [`Config`](super::Config) built otherwise).
    #[error("the mock's options: {0}")]
    Options(String),
    /// A change that cannot be turned into a line (never expected: changes are plain data).
    #[error("a change could not be recorded: {0}")]
    Encode(String),
}

impl StateError {
    /// The error as found on `line` of the file, for a start that must say where the file is bad.
    pub fn on_line(self, line: usize) -> Self {
        match self {
            Self::Corrupt(message) => Self::Corrupt(format!("line {line}: {message}")),
            other => other,
        }
    }
}

/// What the file held at start.
#[derive(Debug)]
pub struct Recovered {
    /// The options the stores must be built with: the file's, or the command line's for a new file.
    pub header: Header,
    /// The file's complete lines; the changes after the header are read from it one at a time
    /// as they are replayed (see [`entries`](Self::entries)), so a large file is never held
    /// parsed all at once.
    bytes: Vec<u8>,
    /// Where the changes start: the header line's length (0 for a new file).
    body_start: usize,
    /// Bytes of a torn last line that were cut off.
    pub torn_bytes: usize,
}

impl Recovered {
    /// The changes to replay, oldest first, each read and checked when reached: an error names
    /// its line. Checks what does not need the stores (each line's shape and mock time); the
    /// stores check the changes themselves as they replay them.
    pub fn entries(&self) -> impl Iterator<Item = Result<Entry, StateError>> + '_ {
        let mut end = self.body_start as u64;
        self.bytes[self.body_start..]
            .split_inclusive(|&b| b == b'\n')
            .enumerate()
            .map(move |(index, line)| {
                end += line.len() as u64;
                (index + 2, &line[..line.len() - 1], end)
            })
            .filter(|(_, line, _)| !line.is_empty())
            .map(|(number, line, end)| {
                let mut entry = serde_json::from_slice::<Entry>(line)
                    .map_err(|err| StateError::Corrupt(format!("line {number} cannot be read: {err}")))?;
                if !(EARLIEST_MS..=LATEST_MS).contains(&entry.at_ms) {
                    return Err(StateError::Corrupt(format!(
                        "line {number}: mock time {} is outside {EARLIEST_MS}..={LATEST_MS} (2000-01-01 to 2100-01-01)",
                        entry.at_ms
                    )));
                }
                entry.line = number;
                entry.end = end;
                Ok(entry)
            })
    }

    /// Whether the file holds no change (it is new, or holds just its header).
    pub fn is_empty(&self) -> bool {
        self.bytes[self.body_start..].iter().all(|&b| b == b'\n')
    }
}

/// How mock time ran at a moment: `mock_ms` when the wall clock read `wall_ms`, running `speed`
/// times as fast. The state file records one at every clock change, so mock time runs on from the
/// last one across a restart, as if the server had never stopped, and never back.
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClockAnchor {
    pub wall_ms: EpochMs,
    pub mock_ms: EpochMs,
    pub speed: f64,
}

impl ClockAnchor {
    /// The mock time at `wall_ms`, within the clock's range whatever the anchor holds.
    pub fn mock_time_at(&self, wall_ms: EpochMs) -> EpochMs {
        let run = (wall_ms.saturating_sub(self.wall_ms).max(0) as f64 * self.speed) as EpochMs;
        self.mock_ms.saturating_add(run).clamp(EARLIEST_MS, LATEST_MS)
    }

    /// Whether a replay can run the clock from this anchor.
    pub fn check(&self) -> Result<(), StateError> {
        // The admin API's and `--speed`'s bound: mock time stays far from overflowing.
        if !(self.speed > 0.0 && self.speed <= CLOCK_SPEED_MAX) {
            return Err(StateError::Corrupt(format!(
                "clock speed {} is not a positive number of at most {CLOCK_SPEED_MAX}",
                self.speed
            )));
        }
        if !(EARLIEST_MS..=LATEST_MS).contains(&self.mock_ms) || !(0..=RECORDED_TIME_MAX_MS).contains(&self.wall_ms) {
            return Err(StateError::Corrupt(format!(
                "clock times {} (mock) and {} (wall) must be within {EARLIEST_MS}..={LATEST_MS} \
                 (2000-01-01 to 2100-01-01) and 0..={RECORDED_TIME_MAX_MS}",
                self.mock_ms, self.wall_ms
            )));
        }
        Ok(())
    }
}

/// What a compaction writes for a store, under the store's part: first a `snapshot` line (the
/// store's generators and counters, which empties it), then one `restore` line per task, as it
/// is. Replayed, they rebuild the store exactly, so that later ids are the ones it would have
/// given; change lines that follow apply on top.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Compacted<S, T> {
    Snapshot(S),
    Restore(T),
}

impl Entry {
    /// Whether this line was written by a compaction (or a reset): it rebuilds state wholesale
    /// rather than recording a client's change.
    pub fn is_compacted(&self) -> bool {
        self.change.as_object().is_some_and(|change| {
            change.len() == 1 && (change.contains_key("snapshot") || change.contains_key("restore"))
        })
    }

    /// The line as a compaction wrote it, or `None` for a change line.
    pub fn compacted<S: DeserializeOwned, T: DeserializeOwned>(&self) -> Result<Option<Compacted<S, T>>, StateError> {
        if self.is_compacted() {
            self.change().map(Some)
        } else {
            Ok(None)
        }
    }
}

/// A seeded generator's exact position, so a store rebuilt from a compacted file draws the same
/// numbers next (the ids and outcomes of later tasks) as the store that wrote it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RngState {
    /// The 32-byte key, in hex.
    seed: String,
    stream: u64,
    /// Words drawn: a 68-bit number, as text since JSON numbers stop at 64 bits.
    word_pos: String,
}

impl RngState {
    pub fn of(rng: &ChaCha8Rng) -> Self {
        Self { seed: hex::encode(rng.get_seed()), stream: rng.get_stream(), word_pos: rng.get_word_pos().to_string() }
    }

    pub fn restore(&self) -> Result<ChaCha8Rng, StateError> {
        let corrupt = |what: &str| StateError::Corrupt(format!("a generator's {what} cannot be read"));
        let mut seed = [0u8; 32];
        hex::decode_to_slice(&self.seed, &mut seed).map_err(|_| corrupt("seed"))?;
        let word_pos: u128 = self.word_pos.parse().map_err(|_| corrupt("position"))?;
        let mut rng = ChaCha8Rng::from_seed(seed);
        rng.set_stream(self.stream);
        rng.set_word_pos(word_pos);
        Ok(rng)
    }
}

/// Checks that a recorded mock time is one a replay can compute with.
pub fn check_time(what: &str, ms: EpochMs) -> Result<EpochMs, StateError> {
    if (0..=RECORDED_TIME_MAX_MS).contains(&ms) {
        Ok(ms)
    } else {
        Err(StateError::Corrupt(format!("{what} {ms} is outside 0..={RECORDED_TIME_MAX_MS}")))
    }
}

/// A store that a compaction can write out (see [`Compacted`]).
pub trait Snapshot: Send + Sync {
    /// Writes the lines that rebuild the store as it is now, under one hold of its lock.
    fn write_snapshot(&self, out: &mut SnapshotWriter<'_>) -> std::io::Result<()>;
}

/// Where a compaction writes its lines: straight to the new file, buffered, never all in memory.
pub struct SnapshotWriter<'a> {
    out: &'a mut dyn Write,
    at_ms: EpochMs,
}

impl SnapshotWriter<'_> {
    /// Writes one line of `part`, at the compaction's mock time.
    pub fn line(&mut self, part: &str, change: &impl Serialize) -> std::io::Result<()> {
        write!(self.out, "{{\"at_ms\":{},\"part\":", self.at_ms)?;
        serde_json::to_writer(&mut self.out, part)?;
        self.out.write_all(b",\"change\":")?;
        serde_json::to_writer(&mut self.out, change)?;
        self.out.write_all(b"}\n")
    }
}

/// The state file, or nothing when the mock runs without `--state`: every change then just applies.
pub struct StateFile {
    clock: Arc<Clock>,
    /// Held for every change, with a file or without: changes happen one at a time (the log's
    /// order), and no two can hold or move the clock at once.
    file: Mutex<Option<Open>>,
    /// The stores a compaction writes out; weak, as the stores hold this file.
    snapshots: OnceLock<Vec<Weak<dyn Snapshot>>>,
    /// Whether changes go to a file: only then do they wait on the disk.
    persistent: bool,
}

struct Open {
    path: PathBuf,
    file: File,
    header: Header,
    /// Where the acknowledged lines end: the next line is written here, and a failed write is
    /// cut back to it.
    good_len: u64,
    /// Why the file can no longer be written to, once a failed write could not be cut back.
    unusable: Option<String>,
    /// The size of the file's compacted part (header, reset or snapshot, clock), which is what
    /// the stores hold now in the file's terms; what grows beyond it is log.
    compacted_len: u64,
    /// `--state-max-bytes`: compaction keeps the file under it unless the live content alone
    /// comes near it.
    max_bytes: u64,
    /// After a failed compaction, the next is tried only once the file has grown past this.
    retry_after: u64,
}

/// Log beyond the compacted part that never triggers a compaction, so small files are left
/// alone: 1 MiB, or an eighth of `--state-max-bytes` when that is below 8 MiB.
pub const COMPACTION_SLACK_BYTES: u64 = 1 << 20;

/// `--state-max-bytes`'s default: a state file of this size replays in about a second and fits a
/// small demo machine's disk many times over.
pub const DEFAULT_MAX_BYTES: u64 = 128 << 20;

/// Where a new file is written before it is renamed over `path`: `path` with `.new` after its
/// whole name, so it can never be `path` itself, nor the same for two state files.
fn fresh_path_of(path: &Path) -> PathBuf {
    let mut name = path.file_name().map(std::ffi::OsStr::to_os_string).unwrap_or_default();
    name.push(".new");
    path.with_file_name(name)
}

impl StateFile {
    /// Changes are applied and forgotten.
    pub fn in_memory(clock: Arc<Clock>) -> Self {
        Self { clock, file: Mutex::new(None), snapshots: OnceLock::new(), persistent: false }
    }

    /// Opens (or creates) the file at `path` and reads what it holds. A new file is written with
    /// `header`; an existing one keeps its own, which [`Recovered::header`] returns.
    pub fn open(
        path: &Path,
        header: Header,
        max_bytes: u64,
        clock: Arc<Clock>,
    ) -> Result<(Self, Recovered), StateError> {
        let io = |source| StateError::Io { path: path.to_owned(), source };
        let mut file = OpenOptions::new().read(true).write(true).create(true).truncate(false).open(path).map_err(io)?;
        let mut bytes = Vec::new();
        file.read_to_end(&mut bytes).map_err(io)?;
        let total_len = bytes.len();
        let (recovered, mut good_len) = parse(bytes, header)?;
        if good_len == 0 {
            // New, or torn before its first line was acknowledged: the command line's options.
            recovered
                .header
                .check()
                .map_err(|problem| StateError::Corrupt(format!("the options cannot be recorded: {problem}")))?;
            let line = json_line(&recovered.header)?;
            file.set_len(0)
                .and_then(|()| file.seek(SeekFrom::Start(0)))
                .and_then(|_| file.write_all(&line))
                .and_then(|()| file.sync_data())
                .map_err(io)?;
            sync_parent(path).map_err(io)?;
            good_len = line.len();
        } else if good_len < total_len {
            file.set_len(good_len as u64).and_then(|()| file.sync_data()).map_err(io)?;
        }
        let open = Open {
            path: path.to_owned(),
            file,
            header: recovered.header.clone(),
            good_len: good_len as u64,
            unusable: None,
            // Until the replay says where the compacted part ends: all of it, so nothing is due.
            compacted_len: good_len as u64,
            max_bytes,
            retry_after: 0,
        };
        Ok((Self { clock, file: Mutex::new(Some(open)), snapshots: OnceLock::new(), persistent: true }, recovered))
    }

    fn lock(&self) -> MutexGuard<'_, Option<Open>> {
        // A panic while holding it cannot leave the file half-updated: `good_len` changes only
        // after a write completed. So a poisoned lock is still good to use.
        self.file.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Records a change and applies it at the current mock time; with a file, the change is on
    /// disk before it is applied, and not applied at all if it could not be written. The clock
    /// is held meanwhile (see [`Clock::hold`]), so the change sees the time the log records.
    pub fn commit<T>(
        &self,
        part: &str,
        change: &impl Serialize,
        apply: impl FnOnce(EpochMs) -> T,
    ) -> Result<T, StateError> {
        let result =
            self.commit_unless_refused(part, change, |at_ms| Ok::<T, std::convert::Infallible>(apply(at_ms)))?;
        Ok(match result {
            Ok(value) => value,
            Err(never) => match never {},
        })
    }

    /// [`commit`](Self::commit) for a change that may be refused. A refused change changed
    /// nothing, so its line is taken back off the file (and, should that fail or a crash come
    /// first, the replay refuses it again: it still changes nothing).
    pub fn commit_unless_refused<T, E>(
        &self,
        part: &str,
        change: &impl Serialize,
        apply: impl FnOnce(EpochMs) -> Result<T, E>,
    ) -> Result<Result<T, E>, StateError> {
        self.blocking(|| {
            let mut guard = self.lock();
            let Some(open) = guard.as_mut() else { return Ok(self.clock.hold(apply)) };
            let anchor = self.running_anchor();
            self.clock.hold(|at_ms| {
                let line = json_line(&entry(at_ms, part, change)?)?;
                open.append(&line)?;
                let result = apply(at_ms);
                if result.is_err() {
                    open.take_back(line.len() as u64);
                } else if open.compaction_due() {
                    self.compact(open, at_ms, &anchor);
                }
                Ok(result)
            })
        })
    }

    /// Runs file work, which blocks (an `fsync`, a compaction, the wait for another change's):
    /// on Tokio's multi-threaded runtime the worker hands its other tasks to another thread
    /// meanwhile, so accepting, timers and reads go on while the disk is slow.
    fn blocking<R>(&self, work: impl FnOnce() -> R) -> R {
        let multi_threaded = tokio::runtime::Handle::try_current()
            .is_ok_and(|runtime| runtime.runtime_flavor() == tokio::runtime::RuntimeFlavor::MultiThread);
        if self.persistent && multi_threaded {
            tokio::task::block_in_place(work)
        } else {
            work()
        }
    }

    /// The clock as it runs now; read before holding it, since a held clock reads a speed of 0.
    fn running_anchor(&self) -> ClockAnchor {
        ClockAnchor { wall_ms: Clock::wall_now_ms(), mock_ms: self.clock.now_ms(), speed: self.clock.speed() }
    }

    /// Names the stores a compaction writes out. Until this is called, no compaction happens.
    pub fn register_snapshots(&self, stores: Vec<Weak<dyn Snapshot>>) {
        let _ = self.snapshots.set(stores);
    }

    /// Tells where the file's compacted part ends (found by the replay), and compacts at once if
    /// the log after it has outgrown it: a file grown large by an older server shrinks at start.
    pub fn start_compacting_from(&self, compacted_len: u64) {
        let mut guard = self.lock();
        let Some(open) = guard.as_mut() else { return };
        open.compacted_len = compacted_len.min(open.good_len);
        if open.compaction_due() {
            let anchor = self.running_anchor();
            self.clock.hold(|at_ms| self.compact(open, at_ms, &anchor));
        }
    }

    /// Rewrites the file as the stores are now: header, each store's snapshot and tasks, the
    /// clock. Called with the clock held at `at_ms`, after a change was applied and recorded:
    /// that change is acknowledged already, so a failure here (a full disk) only logs, leaves the
    /// file as it was, and is tried again once the file has grown another slack's worth.
    fn compact(&self, open: &mut Open, at_ms: EpochMs, anchor: &ClockAnchor) {
        let Some(stores) = self.snapshots.get() else { return };
        let before = open.good_len;
        let header = open.header.clone();
        let replaced = open.replace_with(|out| {
            out.write_all(&json_line(&header).map_err(std::io::Error::other)?)?;
            let mut writer = SnapshotWriter { out, at_ms };
            for store in stores.iter().filter_map(Weak::upgrade) {
                store.write_snapshot(&mut writer)?;
            }
            writer.line(CLOCK_PART, anchor)
        });
        match replaced {
            Ok(after) => {
                open.compacted_len = after;
                tracing::info!(before_bytes = before, after_bytes = after, "compacted the state file");
            }
            Err(error) => {
                open.retry_after = before.saturating_add(open.slack().max(1));
                tracing::warn!(%error, "could not compact the state file; it stays as it was and is tried again later");
            }
        }
    }

    /// A change of the clock itself. `plan` is given the clock's reading and speed and returns
    /// the new ones; the clock stands still at its reading while the change is written, then
    /// runs from the new reading — or, if the write failed, from the old one, as if nothing
    /// happened. Returns the new reading.
    pub fn commit_clock(&self, plan: impl FnOnce(EpochMs, f64) -> (EpochMs, f64)) -> Result<EpochMs, StateError> {
        self.blocking(|| self.commit_clock_now(plan))
    }

    fn commit_clock_now(&self, plan: impl FnOnce(EpochMs, f64) -> (EpochMs, f64)) -> Result<EpochMs, StateError> {
        let mut guard = self.lock();
        let (now_ms, speed) = (self.clock.now_ms(), self.clock.speed());
        let (new_ms, new_speed) = plan(now_ms, speed);
        if let Some(open) = guard.as_mut() {
            // Read before the clock stops, so the file's anchor is never behind the clock: a
            // restart runs on from at least where this run got to.
            let anchor = ClockAnchor { wall_ms: Clock::wall_now_ms(), mock_ms: new_ms, speed: new_speed };
            self.clock.stop_at(now_ms);
            let written = entry(new_ms, CLOCK_PART, &anchor)
                .and_then(|entry| json_line(&entry))
                .and_then(|line| open.append(&line));
            if let Err(error) = written {
                self.clock.resume_at(now_ms, speed);
                return Err(error);
            }
        }
        self.clock.resume_at(new_ms, new_speed);
        Ok(new_ms)
    }

    /// Applies a change that makes everything before it irrelevant (a reset) and starts the
    /// file afresh with it and the clock's anchor: a complete new file is written and renamed over
    /// the old one before the change is applied, so a failure leaves the old file and the old
    /// state, and a crash one file or the other, never a mix.
    pub fn commit_restart<T>(
        &self,
        part: &str,
        change: &impl Serialize,
        apply: impl FnOnce(EpochMs) -> T,
    ) -> Result<T, StateError> {
        self.blocking(|| self.commit_restart_now(part, change, apply))
    }

    fn commit_restart_now<T>(
        &self,
        part: &str,
        change: &impl Serialize,
        apply: impl FnOnce(EpochMs) -> T,
    ) -> Result<T, StateError> {
        let mut guard = self.lock();
        let Some(open) = guard.as_mut() else { return Ok(self.clock.hold(apply)) };
        // Taken before the clock is held: a held clock reads a speed of 0.
        let anchor =
            ClockAnchor { wall_ms: Clock::wall_now_ms(), mock_ms: self.clock.now_ms(), speed: self.clock.speed() };
        self.clock.hold(|at_ms| {
            let mut content = json_line(&open.header)?;
            content.extend(json_line(&entry(at_ms, part, change)?)?);
            content.extend(json_line(&entry(at_ms, CLOCK_PART, &anchor)?)?);
            open.compacted_len = open.replace_with(|out| out.write_all(&content))?;
            Ok(apply(at_ms))
        })
    }

    pub fn path(&self) -> Option<PathBuf> {
        self.lock().as_ref().map(|open| open.path.clone())
    }
}

impl Open {
    fn io(&self, source: std::io::Error) -> StateError {
        StateError::Io { path: self.path.clone(), source }
    }

    /// Writes `line` after the acknowledged lines and waits until it is on disk. On failure the
    /// file is cut back to the acknowledged lines, so it never holds a line whose change was not
    /// applied (nor a torn one that later lines would follow).
    fn append(&mut self, line: &[u8]) -> Result<(), StateError> {
        if let Some(reason) = &self.unusable {
            return Err(StateError::Unusable { path: self.path.clone(), reason: reason.clone() });
        }
        let written = self
            .file
            .seek(SeekFrom::Start(self.good_len))
            .and_then(|_| self.file.write_all(line))
            .and_then(|()| self.file.sync_data());
        match written {
            Ok(()) => {
                self.good_len += line.len() as u64;
                Ok(())
            }
            Err(source) => {
                if let Err(cut) = self.cut_back() {
                    tracing::error!(
                        path = %self.path.display(),
                        write = %source,
                        cut = %cut,
                        "STATE FILE UNUSABLE: a failed write could not be cut back off; every further change \
                         is refused until a reset rewrites the file (or a restart, which cuts the torn line off)"
                    );
                    self.unusable = Some(format!("writing failed: {source}; cutting back failed: {cut}"));
                }
                Err(self.io(source))
            }
        }
    }

    /// Takes the last line (`len` bytes) back off the file: its change was refused.
    fn take_back(&mut self, len: u64) {
        self.good_len -= len;
        if let Err(error) = self.cut_back() {
            // The line is complete and on disk, and a replay refuses it exactly as this run did,
            // so keeping it is harmless: it stays acknowledged rather than making the file unusable.
            tracing::warn!(path = %self.path.display(), %error, "could not take a refused change's line back off the state file; it is kept (a replay refuses it again)");
            self.good_len += len;
        }
    }

    fn cut_back(&mut self) -> std::io::Result<()> {
        self.file.set_len(self.good_len)?;
        self.file.sync_data()
    }

    /// Whether the log beyond the compacted part has outgrown it: the file is kept under twice
    /// its live content plus the slack ([`COMPACTION_SLACK_BYTES`]), and under `max_bytes` unless the live
    /// content alone comes near it (then under 1.25 times it plus the slack, so a compaction
    /// always follows a quarter of its own size in new log, never every change).
    fn compaction_due(&self) -> bool {
        let live = self.compacted_len;
        let slack = self.slack();
        let doubled = live.saturating_mul(2).saturating_add(slack);
        let capped = self.max_bytes.max(live.saturating_add(live / 4).saturating_add(slack));
        self.good_len > doubled.min(capped).max(self.retry_after)
    }

    fn slack(&self) -> u64 {
        COMPACTION_SLACK_BYTES.min(self.max_bytes / 8)
    }

    /// Replaces the whole file with what `write` writes, atomically: a new file, complete and on
    /// disk, is renamed over this one. On failure the new file is removed and this one is
    /// untouched. Returns the new file's length.
    fn replace_with(&mut self, write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>) -> Result<u64, StateError> {
        let fresh_path = fresh_path_of(&self.path);
        let written = (|| {
            let mut fresh = OpenOptions::new().read(true).write(true).create(true).truncate(true).open(&fresh_path)?;
            let mut out = std::io::BufWriter::with_capacity(1 << 20, &mut fresh);
            write(&mut out)?;
            out.flush()?;
            drop(out);
            fresh.sync_data()?;
            let len = fresh.seek(SeekFrom::End(0))?;
            std::fs::rename(&fresh_path, &self.path)?;
            Ok((fresh, len))
        })();
        let (fresh, len) = match written {
            Ok(fresh) => fresh,
            Err(source) => {
                let _ = std::fs::remove_file(&fresh_path);
                return Err(self.io(source));
            }
        };
        // Renamed: the new file is the state file now, whatever happens next.
        if let Err(error) = sync_parent(&self.path) {
            tracing::warn!(path = %self.path.display(), %error, "the state file was replaced, but its folder could not be flushed: a power cut could bring the old file back");
        }
        self.file = fresh;
        self.good_len = len;
        self.unusable = None;
        self.retry_after = 0;
        Ok(len)
    }
}

fn entry(at_ms: EpochMs, part: &str, change: &impl Serialize) -> Result<Entry, StateError> {
    let change = serde_json::to_value(change).map_err(|err| StateError::Encode(err.to_string()))?;
    Ok(Entry { at_ms, part: part.to_owned(), change, line: 0, end: 0 })
}

fn json_line(value: &impl Serialize) -> Result<Vec<u8>, StateError> {
    let mut line = serde_json::to_vec(value).map_err(|err| StateError::Encode(err.to_string()))?;
    line.push(b'\n');
    Ok(line)
}

/// A rename or a new file is durable only once its directory is.
fn sync_parent(path: &Path) -> std::io::Result<()> {
    let parent = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    File::open(parent)?.sync_all()
}

/// Reads and checks the header and keeps the complete lines for the replay; returns them and
/// the length of the intact part of the file.
fn parse(mut bytes: Vec<u8>, header: Header) -> Result<(Recovered, usize), StateError> {
    let complete = bytes.iter().rposition(|&b| b == b'\n').map_or(0, |last| last + 1);
    let torn_bytes = bytes.len() - complete;
    bytes.truncate(complete);
    let first_len = bytes.iter().position(|&b| b == b'\n').map_or(0, |newline| newline + 1);
    if first_len == 0 {
        // New (or torn before its first line was acknowledged): start with the given options.
        return Ok((Recovered { header, bytes: Vec::new(), body_start: 0, torn_bytes }, 0));
    }
    let first = &bytes[..first_len - 1];
    if first.is_empty() {
        return Err(StateError::Corrupt("line 1 is empty, not an Export Desk state header".into()));
    }
    let header: Header = serde_json::from_slice(first).map_err(|err| {
        StateError::Corrupt(format!("line 1 is not an Export Desk state header ({err}); is this the right file?"))
    })?;
    header.check().map_err(|problem| StateError::Corrupt(format!("line 1 (the header) {problem}")))?;
    Ok((Recovered { header, bytes, body_start: first_len, torn_bytes }, complete))
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

    fn entries_of(recovered: &Recovered) -> Vec<Entry> {
        recovered.entries().collect::<Result<_, _>>().unwrap()
    }

    /// The error of the first line that cannot be read, opening or replaying.
    fn refusal(path: &Path) -> String {
        match StateFile::open(path, header(), DEFAULT_MAX_BYTES, clock()) {
            Err(error) => error.to_string(),
            Ok((_, recovered)) => recovered.entries().find_map(Result::err).expect("refused").to_string(),
        }
    }

    fn clock() -> Arc<Clock> {
        Arc::new(Clock::starting_at(1_800_000_000_000, 0.000_001))
    }

    #[test]
    fn changes_are_read_back_in_order_with_their_times_and_the_original_header() {
        let path = temp_path("order");
        let clock = clock();
        let (state, recovered) = StateFile::open(&path, header(), DEFAULT_MAX_BYTES, Arc::clone(&clock)).unwrap();
        assert!(recovered.is_empty());
        assert_eq!(state.commit("a", &serde_json::json!({"n": 1}), |at| at).unwrap(), 1_800_000_000_000);
        clock.advance(5);
        state.commit("b", &serde_json::json!({"n": 2}), |_| ()).unwrap();
        drop(state);

        let other = Header::new(99, 0, 1, 0.5);
        let (_, recovered) = StateFile::open(&path, other, DEFAULT_MAX_BYTES, clock).unwrap();
        assert_eq!(recovered.header, header(), "the file's options win");
        let entries = entries_of(&recovered);
        let parts: Vec<(&str, EpochMs)> = entries.iter().map(|e| (e.part.as_str(), e.at_ms)).collect();
        assert_eq!(parts, [("a", 1_800_000_000_000), ("b", 1_800_000_000_005)]);
        assert_eq!(entries_of(&recovered)[1].change::<serde_json::Value>().unwrap()["n"], 2);
    }

    #[test]
    fn a_torn_last_line_is_cut_off_and_the_log_goes_on_after_it() {
        let path = temp_path("torn");
        let (state, _) = StateFile::open(&path, header(), DEFAULT_MAX_BYTES, clock()).unwrap();
        state.commit("a", &1, |_| ()).unwrap();
        drop(state);
        let mut file = OpenOptions::new().append(true).open(&path).unwrap();
        file.write_all(br#"{"at_ms":1,"part":"b","cha"#).unwrap();
        drop(file);

        let (state, recovered) = StateFile::open(&path, header(), DEFAULT_MAX_BYTES, clock()).unwrap();
        assert_eq!((entries_of(&recovered).len(), recovered.torn_bytes), (1, 26));
        state.commit("c", &3, |_| ()).unwrap();
        drop(state);
        let (_, recovered) = StateFile::open(&path, header(), DEFAULT_MAX_BYTES, clock()).unwrap();
        let entries = entries_of(&recovered);
        let parts: Vec<&str> = entries.iter().map(|e| e.part.as_str()).collect();
        assert_eq!(parts, ["a", "c"]);
    }

    #[test]
    fn a_restart_replaces_the_log_with_itself() {
        let path = temp_path("restart");
        let (state, _) = StateFile::open(&path, header(), DEFAULT_MAX_BYTES, clock()).unwrap();
        for n in 0..5 {
            state.commit("a", &n, |_| ()).unwrap();
        }
        state.commit_restart("reset", &serde_json::json!({"seed": 3}), |_| ()).unwrap();
        state.commit("a", &6, |_| ()).unwrap();
        drop(state);
        let (_, recovered) = StateFile::open(&path, header(), DEFAULT_MAX_BYTES, clock()).unwrap();
        let entries = entries_of(&recovered);
        let parts: Vec<&str> = entries.iter().map(|e| e.part.as_str()).collect();
        assert_eq!(parts, ["reset", CLOCK_PART, "a"], "the reset brings the clock's anchor along");
        assert!(!fresh_path_of(&path).exists());
    }

    #[test]
    fn a_file_that_is_not_a_state_log_is_refused_not_overwritten() {
        let path = temp_path("foreign");
        std::fs::write(&path, "hello\nworld\n").unwrap();
        let error = refusal(&path);
        assert!(error.contains("line 1") && error.contains("right file"), "{error}");
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "hello\nworld\n");

        let path = temp_path("bad-middle");
        let (state, _) = StateFile::open(&path, header(), DEFAULT_MAX_BYTES, clock()).unwrap();
        state.commit("a", &1, |_| ()).unwrap();
        drop(state);
        let mut text = std::fs::read_to_string(&path).unwrap();
        text.push_str("not json\n{\"at_ms\":1,\"part\":\"a\",\"change\":2}\n");
        std::fs::write(&path, &text).unwrap();
        let error = refusal(&path);
        assert!(error.contains("line 3"), "{error}");
    }

    /// The state file with its handle swapped for one that cannot be written: every write fails.
    fn unwritable(state: &StateFile) {
        let mut guard = state.lock();
        let open = guard.as_mut().unwrap();
        open.file = File::open(&open.path).unwrap();
    }

    #[test]
    fn a_change_that_cannot_be_written_is_not_applied_and_later_changes_are_refused_until_a_reset() {
        let path = temp_path("unwritable");
        let clock = clock();
        let (state, _) = StateFile::open(&path, header(), DEFAULT_MAX_BYTES, Arc::clone(&clock)).unwrap();
        state.commit("a", &1, |_| ()).unwrap();
        let before = std::fs::read(&path).unwrap();
        unwritable(&state);

        let mut applied = false;
        let error = state.commit("a", &2, |_| applied = true).expect_err("the write fails");
        assert!(!applied, "a change not on disk is not applied");
        assert!(matches!(error, StateError::Io { .. }), "{error}");
        // The handle cannot cut back either: the file is unusable, and says so without writing.
        let error = state.commit("a", &3, |_| applied = true).expect_err("refused");
        assert!(!applied);
        assert!(matches!(error, StateError::Unusable { .. }), "{error}");
        let now = clock.now_ms();
        assert!(state.commit_clock(|now, speed| (now + 60_000, speed)).is_err());
        assert!(clock.now_ms() < now + 60_000, "a clock move not on disk is not made");
        assert_eq!(std::fs::read(&path).unwrap(), before, "the file holds exactly the acknowledged lines");

        // A reset writes a new file, so the state file is usable again.
        state.commit_restart("reset", &0, |_| ()).unwrap();
        state.commit("a", &4, |_| ()).unwrap();
        drop(state);
        let (_, recovered) = StateFile::open(&path, header(), DEFAULT_MAX_BYTES, clock).unwrap();
        let entries = entries_of(&recovered);
        let parts: Vec<&str> = entries.iter().map(|e| e.part.as_str()).collect();
        assert_eq!(parts, ["reset", CLOCK_PART, "a"]);
    }

    #[test]
    fn a_reset_that_cannot_be_written_leaves_the_old_file_and_applies_nothing() {
        let path = temp_path("reset-fails");
        let (state, _) = StateFile::open(&path, header(), DEFAULT_MAX_BYTES, clock()).unwrap();
        state.commit("a", &1, |_| ()).unwrap();
        let before = std::fs::read(&path).unwrap();
        // The new file cannot be created where a folder of its name stands.
        std::fs::create_dir(fresh_path_of(&path)).unwrap();
        let mut applied = false;
        assert!(state.commit_restart("reset", &0, |_| applied = true).is_err());
        assert!(!applied);
        assert_eq!(std::fs::read(&path).unwrap(), before);
        state.commit("a", &2, |_| ()).unwrap();
        assert_eq!(
            StateFile::open(&path, header(), DEFAULT_MAX_BYTES, clock())
                .map(|(_, recovered)| entries_of(&recovered).len())
                .unwrap(),
            2
        );
    }

    #[test]
    fn a_refused_change_leaves_no_line() {
        let path = temp_path("refused");
        let (state, _) = StateFile::open(&path, header(), DEFAULT_MAX_BYTES, clock()).unwrap();
        state.commit("a", &1, |_| ()).unwrap();
        let before = std::fs::read(&path).unwrap();
        let refused = state.commit_unless_refused("a", &2, |_| Err::<(), _>("no")).unwrap();
        assert_eq!(refused, Err("no"));
        assert_eq!(std::fs::read(&path).unwrap(), before);
        state.commit_unless_refused("a", &3, |_| Ok::<_, ()>(())).unwrap().unwrap();
        drop(state);
        let (_, recovered) = StateFile::open(&path, header(), DEFAULT_MAX_BYTES, clock()).unwrap();
        let entries = entries_of(&recovered);
        let changes: Vec<i64> = entries.iter().map(|e| e.change().unwrap()).collect();
        assert_eq!(changes, [1, 3]);
    }

    #[test]
    fn options_out_of_range_are_refused_with_the_line_named() {
        let valid = serde_json::to_value(header()).unwrap();
        for (field, value) in [
            ("fail_rate", serde_json::json!(7.5)),
            ("fail_rate", serde_json::json!(-0.1)),
            ("demo_tasks", serde_json::json!(u64::MAX)),
            ("demo_tasks", serde_json::json!(100_001)),
            ("task_duration_ms", serde_json::json!(-1)),
            ("task_duration_ms", serde_json::json!(i64::MAX)),
            ("format", serde_json::json!("export-desk-mock-state/0")),
        ] {
            let path = temp_path("bad-header");
            let mut bad = valid.clone();
            bad[field] = value.clone();
            let text = format!("{bad}\n{{\"at_ms\":1,\"part\":\"a\",\"change\":1}}\n");
            std::fs::write(&path, &text).unwrap();
            let error = refusal(&path);
            assert!(error.contains("line 1") && error.contains(field), "{field} {value}: {error}");
            assert_eq!(std::fs::read_to_string(&path).unwrap(), text, "left alone");
        }
        let path = temp_path("bad-time");
        let (state, _) = StateFile::open(&path, header(), DEFAULT_MAX_BYTES, clock()).unwrap();
        drop(state);
        let mut text = std::fs::read_to_string(&path).unwrap();
        text.push_str(&format!("{{\"at_ms\":{},\"part\":\"a\",\"change\":1}}\n", i64::MAX));
        std::fs::write(&path, &text).unwrap();
        let error = refusal(&path);
        assert!(error.contains("line 2") && error.contains("mock time"), "{error}");
        let error = StateFile::open(&temp_path("new-bad"), Header::new(1, 1, 1, 2.0), DEFAULT_MAX_BYTES, clock())
            .err()
            .expect("refused");
        assert!(error.to_string().contains("fail_rate"), "{error}");
    }

    /// A store that writes one line saying how many changes it has seen.
    struct Counter(Mutex<u32>);

    impl Snapshot for Counter {
        fn write_snapshot(&self, out: &mut SnapshotWriter<'_>) -> std::io::Result<()> {
            out.line("counter", &Compacted::<u32, ()>::Snapshot(*self.0.lock().unwrap()))
        }
    }

    #[test]
    fn a_grown_log_is_compacted_and_a_failed_compaction_keeps_the_file_and_the_change() {
        let path = temp_path("compaction");
        // 800 bytes: a slack of 100 bytes, and a file kept under 800 bytes.
        let (state, _) = StateFile::open(&path, header(), 800, clock()).unwrap();
        let counter = Arc::new(Counter(Mutex::new(0)));
        state.register_snapshots(vec![Arc::downgrade(&counter) as Weak<dyn Snapshot>]);
        state.commit_restart("reset", &0, |_| ()).unwrap();
        let change = |n: u32| {
            state.commit("counter", &n, |_| *counter.0.lock().unwrap() += 1).unwrap();
        };
        for n in 0..40 {
            change(n);
            assert!(std::fs::metadata(&path).unwrap().len() <= 800, "after {n} changes");
        }
        let (_, recovered) = StateFile::open(&path, header(), 800, clock()).unwrap();
        let entries = entries_of(&recovered);
        let snapshot = entries.iter().find(|e| e.is_compacted()).expect("a snapshot line");
        let counted: Option<Compacted<u32, ()>> = snapshot.compacted().unwrap();
        assert!(matches!(counted, Some(Compacted::Snapshot(n)) if n > 0), "{snapshot:?}");
        assert_eq!(entries.iter().filter(|e| e.part == "reset").count(), 0, "compacted away");

        // The new file cannot be made: changes go on being recorded, in the old file.
        std::fs::create_dir(fresh_path_of(&path)).unwrap();
        let before = std::fs::metadata(&path).unwrap().len();
        for n in 0..20 {
            change(n);
        }
        let grown = std::fs::metadata(&path).unwrap().len();
        assert!(grown > 800 && grown > before, "{before} -> {grown}");
        let (_, recovered) = StateFile::open(&path, header(), 800, clock()).unwrap();
        assert!(entries_of(&recovered).len() >= 20, "nothing acknowledged is lost");
        // Tried again once another slack's worth (100 bytes, two or three lines) has been logged.
        std::fs::remove_dir(fresh_path_of(&path)).unwrap();
        for n in 0..4 {
            change(n);
        }
        assert!(std::fs::metadata(&path).unwrap().len() < grown, "compacted again once it can be");
    }

    /// Without a file too, changes are made one at a time: two holding the clock at once would
    /// each put back what the other stopped, leaving the clock stopped for good.
    #[test]
    fn concurrent_changes_never_leave_the_clock_stopped() {
        let clock = Arc::new(Clock::starting_at(1_800_000_000_000, 1.0));
        let state = Arc::new(StateFile::in_memory(Arc::clone(&clock)));
        let threads: Vec<_> = (0..4)
            .map(|_| {
                let state = Arc::clone(&state);
                std::thread::spawn(move || {
                    for n in 0..2_000 {
                        state.commit("a", &n, |_| std::thread::yield_now()).unwrap();
                    }
                })
            })
            .collect();
        for thread in threads {
            thread.join().unwrap();
        }
        assert_eq!(clock.speed(), 1.0, "the clock runs again after every change");
    }
}
