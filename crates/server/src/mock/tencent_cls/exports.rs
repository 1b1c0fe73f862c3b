//! The store of CLS export tasks and their lifecycle.
//!
//! An export is `Queuing` for the first 10–30 % of its run, `Processing` until the run ends (75–125 %
//! of `--task-duration`), then `Completed` or `Failed` (at `--fail-rate`), and a completed one is
//! `Expired` three days later. All of it is drawn from the seeded generator at creation, so a
//! status is a pure function of mock time and no call waits on a background worker.
//!
//! Exports are indexed per topic by creation time, the order DescribeExports pages through
//! (newest first). Each topic keeps at most [`EXPORTS_PER_TOPIC_MAX`] exports, so a flood of
//! creates is refused (`LimitExceeded.Export`) instead of exhausting memory; and the store keeps
//! its exports within its byte budget (`--store-bytes`), forgetting the oldest of all topics
//! beyond it, as a `Query` of 12 KB and a hundred long field names make an export take 40 KB.

use super::cos_link::LinkKey;
use super::log_file::{self, FileLayout, Job};
use super::rate_limit::RateLimiter;
use crate::client::ClientKey;
use crate::mock::clock::{Clock, EpochMs};
use crate::mock::memory::{self, text_bytes};
use crate::mock::seeded;
use crate::mock::state_file::{self, Compacted, Entry, RngState, Snapshot, SnapshotWriter, StateError, StateFile};
use crate::mock::{Lifecycle, Resettable, Restart};
use chrono::{DateTime, FixedOffset};
use export_desk_model::tencent_cls::{
    self, CreateExportRequest, ExportInfo, ExportSpec, ExportStatus, ExportsPage, Topic, CREATE_TIME_UTC_OFFSET_HOURS,
    FILE_KEPT_MS, REQUESTS_PER_SECOND, TOPICS_REQUESTS_PER_SECOND,
};
use rand::{Rng, RngCore, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex, OnceLock};

/// (mock) Exports kept per topic; creating more answers `LimitExceeded.Export` until some are
/// deleted. The docs give no number.
pub const EXPORTS_PER_TOPIC_MAX: usize = 1000;
/// The mock account's UIN, part of every file name as in the real ones.
pub const MOCK_UIN: &str = "100000000001";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    Completed,
    Failed,
}

#[derive(Debug, Clone)]
pub struct Export {
    pub id: String,
    pub spec: ExportSpec,
    seq: u64,
    pub created_ms: EpochMs,
    processing_ms: EpochMs,
    finish_ms: EpochMs,
    outcome: Outcome,
    /// The mock seed the topic's logs came from when the export was made.
    log_seed: u64,
    pub file_name: String,
    /// The file's sizes, computed once, off the store's lock (see [`log_file::measure`]).
    layout: Arc<OnceLock<FileLayout>>,
}

impl Export {
    /// The estimate of the heap bytes the export takes in the store, which the byte budget
    /// counts: its entries in `exports` (a hash table, from 1.1 to 2.3 times its entries' size as
    /// it grows: twice, to err high) and in its topic's B-tree (nodes run about two thirds full),
    /// the three copies of its id, its file name, its spec's texts and its layout cell. Measured
    /// against the allocator in `tests/store_bytes.rs`.
    fn heap_bytes(&self) -> usize {
        use std::mem::size_of;
        let in_maps = (size_of::<String>() + size_of::<Export>()) * 2
            + (size_of::<(EpochMs, u64)>() + size_of::<String>()) * 3 / 2
            + size_of::<OnceLock<FileLayout>>()
            + 2 * size_of::<usize>()
            + memory::ALLOCATION_OVERHEAD;
        let derived = self.spec.derived_fields.as_deref().map_or(0, |fields| {
            memory::vec_bytes(fields.len(), size_of::<String>()) + fields.iter().map(|f| text_bytes(f)).sum::<usize>()
        });
        in_maps
            + 3 * text_bytes(&self.id)
            + text_bytes(&self.file_name)
            + text_bytes(&self.spec.topic_id)
            + text_bytes(&self.spec.query)
            + derived
    }

    pub fn status(&self, now: EpochMs) -> ExportStatus {
        if now < self.processing_ms {
            ExportStatus::Queuing
        } else if now < self.finish_ms {
            ExportStatus::Processing
        } else if self.outcome == Outcome::Failed {
            ExportStatus::Failed
        } else if now < self.finish_ms + FILE_KEPT_MS {
            ExportStatus::Completed
        } else {
            ExportStatus::Expired
        }
    }

    /// Whether the export ends with a file (now or later); failed ones never have one.
    pub fn has_file(&self) -> bool {
        self.outcome == Outcome::Completed
    }

    /// How to generate the file.
    pub fn job(&self) -> Job {
        let profile = log_file::profile(&self.spec.topic_id).expect("exports are made on known topics");
        let stem = self.file_name.trim_end_matches(".tar.gz");
        Job::new(&self.spec, profile, self.log_seed, self.created_ms, self.finish_ms, stem)
    }

    /// The file's sizes, computing them on this thread if nobody has yet (a blocking call).
    pub fn layout_blocking(&self) -> FileLayout {
        *self.layout.get_or_init(|| log_file::measure(&self.job()))
    }

    pub fn known_layout(&self) -> Option<FileLayout> {
        self.layout.get().copied()
    }

    /// The listing of this export at `now`; `cos_path` is the link for a completed one.
    pub fn to_wire(&self, now: EpochMs, cos_path: Option<String>) -> ExportInfo {
        let status = self.status(now);
        let has_size = matches!(status, ExportStatus::Completed | ExportStatus::Expired);
        ExportInfo {
            topic_id: self.spec.topic_id.clone(),
            export_id: self.id.clone(),
            query: self.spec.query.clone(),
            file_name: self.file_name.clone(),
            file_size: if has_size { self.known_layout().map_or(0, |layout| layout.file_size) } else { 0 },
            order: self.spec.order.as_str().to_owned(),
            format: self.spec.format.as_str().to_owned(),
            count: self.spec.count,
            status: status.as_str().to_owned(),
            from: self.spec.from_ms,
            to: self.spec.to_ms,
            cos_path: cos_path.filter(|_| status == ExportStatus::Completed).unwrap_or_default(),
            create_time: china_time(self.created_ms, "%Y-%m-%d %H:%M:%S"),
            syntax_rule: self.spec.syntax_rule.number(),
            derived_fields: self.spec.derived_fields.clone(),
            create_timestamp: Some(self.created_ms),
        }
    }
}

/// Why CreateExport was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CreateRefused {
    TopicNotExist,
    TopicClosed,
    TooMany,
}

/// A DescribeExports answer before links and sizes are filled in.
#[derive(Debug, Clone)]
pub struct Page {
    pub total: u64,
    pub exports: Vec<Export>,
}

/// What the state file records of this store.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClsChange {
    Create(ExportSpec),
    Delete { export_id: String },
}

pub struct ClsExports {
    clock: Arc<Clock>,
    state: Arc<StateFile>,
    lifecycle: Lifecycle,
    public_url: Option<String>,
    limiter: RateLimiter<(Option<ClientKey>, &'static str)>,
    topics_limiter: RateLimiter<Option<ClientKey>>,
    /// Most heap bytes the exports may take, by [`Export::heap_bytes`].
    byte_budget: usize,
    store: Mutex<Store>,
}

struct Store {
    seed: u64,
    rng: ChaCha8Rng,
    next_seq: u64,
    /// Signs `CosPath` links; derived from the seed, so a run's links repeat.
    link_key: LinkKey,
    exports: HashMap<String, Export>,
    by_topic: HashMap<&'static str, BTreeMap<(EpochMs, u64), String>>,
    /// The sum of the exports' [`Export::heap_bytes`].
    bytes_kept: usize,
    byte_budget: usize,
}

impl Store {
    fn new(seed: u64, byte_budget: usize) -> Self {
        Self {
            seed,
            rng: ChaCha8Rng::seed_from_u64(seed ^ 0x636c_735f_6578_7073),
            next_seq: 0,
            link_key: seeded::generator(seed, "cls cos links", "").random(),
            exports: HashMap::new(),
            by_topic: HashMap::new(),
            bytes_kept: 0,
            byte_budget,
        }
    }

    /// Removes an export from both indexes, keeping the byte count.
    fn remove(&mut self, id: &str) -> Option<Export> {
        let export = self.exports.remove(id)?;
        if let Some(index) = self.by_topic.get_mut(export.spec.topic_id.as_str()) {
            index.remove(&(export.created_ms, export.seq));
        }
        self.bytes_kept -= export.heap_bytes();
        Some(export)
    }

    /// Forgets the oldest exports of all topics (by creation time, then creation order: what the
    /// log says, so a replay forgets the same) while over the budget, never the one just made.
    fn evict_over_budget(&mut self) {
        while self.bytes_kept > self.byte_budget && self.exports.len() > 1 {
            let oldest =
                self.by_topic.values().filter_map(|index| index.first_key_value()).min_by_key(|(key, _)| **key);
            let Some((_, id)) = oldest else { break };
            let id = id.clone();
            if self.remove(&id).is_none() {
                break;
            }
        }
    }

    fn topic_len(&self, topic: &Topic) -> usize {
        self.by_topic.get(topic.id).map_or(0, BTreeMap::len)
    }

    /// Draws the run and outcome and stores the export; the topic has room.
    fn insert(
        &mut self,
        topic: &'static Topic,
        spec: ExportSpec,
        created_ms: EpochMs,
        run_ms: EpochMs,
        failed: bool,
    ) -> String {
        let mut raw = [0u8; 16];
        self.rng.fill_bytes(&mut raw);
        let id = format!("export-{}", uuid_v4(raw));
        let queue_share = self.rng.random_range(0.1..=0.3);
        let processing_ms = created_ms + (run_ms as f64 * queue_share).round() as EpochMs;
        let finish_ms = (created_ms + run_ms).max(processing_ms + 1);
        let seq = self.next_seq;
        self.next_seq += 1;
        let export = Export {
            id: id.clone(),
            file_name: file_name(topic, created_ms),
            spec,
            seq,
            created_ms,
            processing_ms,
            finish_ms,
            outcome: if failed { Outcome::Failed } else { Outcome::Completed },
            log_seed: self.seed,
            layout: Arc::new(OnceLock::new()),
        };
        self.by_topic.entry(topic.id).or_default().insert((created_ms, seq), id.clone());
        self.bytes_kept += export.heap_bytes();
        self.exports.insert(id.clone(), export);
        self.evict_over_budget();
        id
    }
}

impl ClsExports {
    /// The part of the state file this store's changes are recorded under.
    pub const STATE_PART: &'static str = "cls";

    pub fn new(
        state: Arc<StateFile>,
        clock: Arc<Clock>,
        lifecycle: Lifecycle,
        seed: u64,
        public_url: Option<String>,
    ) -> Self {
        let limiter = RateLimiter::new(REQUESTS_PER_SECOND);
        let store = Mutex::new(Store::new(seed, usize::MAX));
        let topics_limiter = RateLimiter::new(TOPICS_REQUESTS_PER_SECOND);
        Self { clock, state, lifecycle, public_url, limiter, topics_limiter, byte_budget: usize::MAX, store }
    }

    /// Bounds the exports' estimated heap bytes; the oldest are forgotten beyond it.
    pub fn with_byte_budget(mut self, bytes: usize) -> Self {
        self.byte_budget = bytes;
        self.store.get_mut().unwrap_or_else(std::sync::PoisonError::into_inner).byte_budget = bytes;
        self
    }

    /// The estimated heap bytes of the exports kept (what the budget bounds) and how many.
    pub fn accounted(&self) -> (usize, usize) {
        let store = self.store.lock().expect("cls store lock");
        (store.bytes_kept, store.exports.len())
    }

    /// Applies a change read back from the state file, at the mock time it was made. A change
    /// refused again was refused when made too (its line outlived a crash before it was taken
    /// back): it changes nothing now either.
    pub fn replay(&self, entry: &Entry) -> Result<(), StateError> {
        if let Some(line) = entry.compacted()? {
            return self.restore(line);
        }
        match entry.change()? {
            ClsChange::Create(spec) => {
                // Recorded after validation: what does not validate the same again is not ours.
                if request_of(&spec).validate().as_ref() != Ok(&spec) {
                    return Err(StateError::Corrupt("a recorded CLS export breaks the rules".into()));
                }
                if let Err(refused) = self.create_at(spec, entry.at_ms) {
                    tracing::debug!(?refused, line = entry.line, "a recorded CLS export was refused again");
                }
            }
            ClsChange::Delete { export_id } => {
                self.delete_at(&export_id, entry.at_ms);
            }
        }
        Ok(())
    }

    /// Whether a call of `action` is within its documented rate (20 a second for the export
    /// actions, 50 for DescribeTopics): for the whole account, or in a public demo for one visitor
    /// (each visitor stands for an account there). When it is not, the rate it went over.
    pub fn admit(&self, visitor: Option<ClientKey>, action: &'static str) -> Result<(), u32> {
        if action == tencent_cls::action::DESCRIBE_TOPICS {
            self.topics_limiter.admit(visitor).map_err(|_| TOPICS_REQUESTS_PER_SECOND)
        } else {
            self.limiter.admit((visitor, action)).map_err(|_| REQUESTS_PER_SECOND)
        }
    }

    pub fn now_ms(&self) -> EpochMs {
        self.clock.now_ms()
    }

    /// Where links point: `--public-url`, else the host the request came to.
    pub fn link_base(&self, request_base: &str) -> String {
        self.public_url.as_deref().unwrap_or(request_base).trim_end_matches('/').to_owned()
    }

    pub fn link_key(&self) -> LinkKey {
        self.store.lock().expect("cls store lock").link_key
    }

    /// Starts an export of a validated request now, recorded in the state file; returns its id.
    pub fn create(&self, spec: ExportSpec) -> Result<Result<String, CreateRefused>, StateError> {
        let change = ClsChange::Create(spec.clone());
        self.state.commit_unless_refused(Self::STATE_PART, &change, |now| self.create_at(spec, now))
    }

    /// Starts an export at mock time `now`: the topic must exist, be open and have room.
    pub fn create_at(&self, spec: ExportSpec, now: EpochMs) -> Result<String, CreateRefused> {
        let topic = tencent_cls::topic(&spec.topic_id).ok_or(CreateRefused::TopicNotExist)?;
        if topic.closed {
            return Err(CreateRefused::TopicClosed);
        }
        let mut store = self.store.lock().expect("cls store lock");
        if store.topic_len(topic) >= EXPORTS_PER_TOPIC_MAX {
            return Err(CreateRefused::TooMany);
        }
        let run_ms = self.lifecycle.draw_run_ms(&mut store.rng);
        let failed = store.rng.random_bool(self.lifecycle.fail_rate.clamp(0.0, 1.0));
        Ok(store.insert(topic, spec, now, run_ms, failed))
    }

    /// One page of a topic's exports, newest first, and how many it has. `None` for an
    /// unknown topic.
    pub fn page(&self, page: &ExportsPage) -> Option<Page> {
        let topic = tencent_cls::topic(&page.topic_id)?;
        let store = self.store.lock().expect("cls store lock");
        let Some(index) = store.by_topic.get(topic.id) else {
            return Some(Page { total: 0, exports: Vec::new() });
        };
        let offset = usize::try_from(page.offset).unwrap_or(usize::MAX);
        let exports = index.values().rev().skip(offset).take(page.limit as usize).map(|id| store.exports[id].clone());
        Some(Page { total: index.len() as u64, exports: exports.collect() })
    }

    /// One export, if it exists.
    pub fn get(&self, id: &str) -> Option<Export> {
        self.store.lock().expect("cls store lock").exports.get(id).cloned()
    }

    /// Deletes an export now (a queued or running one is cancelled), recorded in the state
    /// file; `false` if there is none.
    pub fn delete(&self, id: &str) -> Result<bool, StateError> {
        let change = ClsChange::Delete { export_id: id.to_owned() };
        let deleted = self.state.commit_unless_refused(Self::STATE_PART, &change, |now| {
            if self.delete_at(id, now) {
                Ok(())
            } else {
                Err(())
            }
        })?;
        Ok(deleted.is_ok())
    }

    /// Deleting does not depend on the time; `now` keeps every mutation's signature alike for
    /// a log that replays them.
    pub fn delete_at(&self, id: &str, _now: EpochMs) -> bool {
        self.store.lock().expect("cls store lock").remove(id).is_some()
    }

    /// Forgets every export and seeds `count` demo exports: the store a fresh start with that
    /// seed would have, ids of later exports included.
    pub fn reset(&self, seed: u64, count: usize) {
        *self.store.lock().expect("cls store lock") = Store::new(seed, self.byte_budget);
        self.limiter.reset();
        self.topics_limiter.reset();
        self.seed_demo_tasks(count);
    }

    /// Adds `count` exports of the last five days on the open topics (some already expired),
    /// all finished but the newest two, deterministic for the seed.
    pub fn seed_demo_tasks(&self, count: usize) {
        const MINUTE: EpochMs = 60_000;
        const DAY: EpochMs = 1_440 * MINUTE;
        let now = self.clock.now_ms();
        let mut store = self.store.lock().expect("cls store lock");
        let mut rng = ChaCha8Rng::seed_from_u64(store.seed ^ 0x0064_656d_6f63_6c73);
        let open: Vec<&'static Topic> = tencent_cls::TOPICS.iter().filter(|t| !t.closed).collect();
        let mut created: Vec<EpochMs> = (0..count).map(|_| now - rng.random_range(10 * MINUTE..5 * DAY)).collect();
        created.sort_unstable();
        for (index, created_ms) in created.into_iter().enumerate() {
            let running = index + 2 >= count;
            let created_ms = if running { now - rng.random_range(0..2_000) } else { created_ms };
            let topic = open[rng.random_range(0..open.len())];
            if store.topic_len(topic) >= EXPORTS_PER_TOPIC_MAX {
                continue;
            }
            let to = created_ms - created_ms % MINUTE - rng.random_range(0..360) * MINUTE;
            let span = [15 * MINUTE, 60 * MINUTE, 6 * 60 * MINUTE, DAY][rng.random_range(0..4)];
            let request = CreateExportRequest {
                topic_id: Some(topic.id.to_owned()),
                count: Some([200, 500, 1_000, 2_000, 5_000][rng.random_range(0..5)]),
                query: Some(demo_query(topic, rng.random_range(0..4)).to_owned()),
                from: Some(to - span),
                to: Some(to),
                order: Some(if rng.random_bool(0.7) { "desc" } else { "asc" }.to_owned()),
                format: Some(if rng.random_bool(0.6) { "json" } else { "csv" }.to_owned()),
                ..CreateExportRequest::default()
            };
            // Demo exports obey the rules, unless the clock stands so near the earliest time the
            // clouds accept that their span reaches before it: such an export is left out.
            let Ok(spec) = request.validate() else { continue };
            let run_ms = self.lifecycle.draw_run_ms(&mut store.rng);
            let run_ms = if running { run_ms } else { run_ms.min(now - created_ms) };
            let failed = rng.random_bool(0.15);
            store.insert(topic, spec, created_ms, run_ms, failed);
        }
    }
}

impl Resettable for ClsExports {
    fn reset(&self, restart: &Restart) {
        ClsExports::reset(self, restart.seed, restart.demo_tasks);
    }
}

/// The store's generator and counter, in a compacted state file.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct StoreSnapshot {
    seed: u64,
    rng: RngState,
    next_seq: u64,
}

/// One export as it is, in a compacted state file.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct ExportSnapshot {
    id: String,
    spec: ExportSpec,
    seq: u64,
    created_ms: EpochMs,
    processing_ms: EpochMs,
    finish_ms: EpochMs,
    failed: bool,
}

type ClsLine = Compacted<StoreSnapshot, ExportSnapshot>;

impl Snapshot for ClsExports {
    fn write_snapshot(&self, out: &mut SnapshotWriter<'_>) -> std::io::Result<()> {
        let store = self.store.lock().expect("cls store lock");
        let head = StoreSnapshot { seed: store.seed, rng: RngState::of(&store.rng), next_seq: store.next_seq };
        out.line(Self::STATE_PART, &ClsLine::Snapshot(head))?;
        let mut exports: Vec<&Export> = store.exports.values().collect();
        exports.sort_unstable_by_key(|export| export.seq);
        for export in exports {
            let line = ClsLine::Restore(ExportSnapshot {
                id: export.id.clone(),
                spec: export.spec.clone(),
                seq: export.seq,
                created_ms: export.created_ms,
                processing_ms: export.processing_ms,
                finish_ms: export.finish_ms,
                failed: export.outcome == Outcome::Failed,
            });
            out.line(Self::STATE_PART, &line)?;
        }
        Ok(())
    }
}

impl ClsExports {
    /// Applies a line a compaction wrote: the store emptied to its generator and counter, or one
    /// export put back as it was.
    fn restore(&self, line: ClsLine) -> Result<(), StateError> {
        let corrupt = |what: &str| StateError::Corrupt(format!("a compacted CLS export {what}"));
        let mut store = self.store.lock().expect("cls store lock");
        match line {
            ClsLine::Snapshot(head) => {
                let mut fresh = Store::new(head.seed, store.byte_budget);
                fresh.rng = head.rng.restore()?;
                fresh.next_seq = head.next_seq;
                *store = fresh;
            }
            ClsLine::Restore(export) => {
                if request_of(&export.spec).validate().as_ref() != Ok(&export.spec) {
                    return Err(corrupt("breaks the rules"));
                }
                let topic = tencent_cls::topic(&export.spec.topic_id)
                    .filter(|topic| !topic.closed && log_file::profile(topic.id).is_some())
                    .ok_or_else(|| corrupt("is on a topic that takes no exports"))?;
                let created_ms = state_file::check_time("a creation time", export.created_ms)?;
                let processing_ms = state_file::check_time("a start time", export.processing_ms)?;
                let finish_ms = state_file::check_time("a finish time", export.finish_ms)?;
                let key = (created_ms, export.seq);
                let taken = store.exports.contains_key(&export.id)
                    || store.by_topic.get(topic.id).is_some_and(|index| index.contains_key(&key));
                if taken || export.seq >= store.next_seq || store.topic_len(topic) >= EXPORTS_PER_TOPIC_MAX {
                    return Err(corrupt("repeats an export or breaks the limits"));
                }
                let restored = Export {
                    id: export.id.clone(),
                    file_name: file_name(topic, created_ms),
                    spec: export.spec,
                    seq: export.seq,
                    created_ms,
                    processing_ms,
                    finish_ms,
                    outcome: if export.failed { Outcome::Failed } else { Outcome::Completed },
                    log_seed: store.seed,
                    layout: Arc::new(OnceLock::new()),
                };
                store.by_topic.entry(topic.id).or_default().insert(key, export.id.clone());
                // Counted as a live create counts it, so a budget holds after a restart too.
                store.bytes_kept += restored.heap_bytes();
                store.exports.insert(export.id, restored);
            }
        }
        Ok(())
    }
}

/// The request that validates to `spec`, to check a recorded spec by the rules it passed.
fn request_of(spec: &ExportSpec) -> CreateExportRequest {
    CreateExportRequest {
        topic_id: Some(spec.topic_id.clone()),
        count: i64::try_from(spec.count).ok(),
        query: Some(spec.query.clone()),
        from: Some(spec.from_ms),
        to: Some(spec.to_ms),
        order: Some(spec.order.as_str().to_owned()),
        format: Some(spec.format.as_str().to_owned()),
        syntax_rule: i64::try_from(spec.syntax_rule.number()).ok(),
        derived_fields: spec.derived_fields.clone(),
    }
}

fn demo_query(topic: &Topic, pick: usize) -> &'static str {
    let queries: [&str; 4] = match topic.name {
        "nginx-access" => ["*", "status:500", "method:POST AND status:200", "status:404"],
        "app-backend" => ["*", "level:ERROR", "level:WARN", "logger:payment.client AND level:ERROR"],
        _ => ["*", "result:Denied", "action:CreateExport", "user:alice"],
    };
    queries[pick % queries.len()]
}

/// `log_<uin>_<topic id>_<yyyyMMdd>_<HHmmss>_<unix seconds>.tar.gz`, after the docs' example
/// (`log_2075178708_<topicId>_20210107_xxxxxx_1610001073.tar.gz`), times in China Standard Time.
fn file_name(topic: &Topic, created_ms: EpochMs) -> String {
    format!(
        "log_{MOCK_UIN}_{}_{}_{}.tar.gz",
        topic.id,
        china_time(created_ms, "%Y%m%d_%H%M%S"),
        created_ms.div_euclid(1000)
    )
}

fn china_time(ms: EpochMs, pattern: &str) -> String {
    let offset = FixedOffset::east_opt(CREATE_TIME_UTC_OFFSET_HOURS * 3600).expect("a valid offset");
    DateTime::from_timestamp_millis(ms)
        .map_or_else(String::new, |t| t.with_timezone(&offset).format(pattern).to_string())
}

/// Random bytes as a version-4 UUID, the shape of CLS's ids.
fn uuid_v4(mut raw: [u8; 16]) -> String {
    raw[6] = (raw[6] & 0x0f) | 0x40;
    raw[8] = (raw[8] & 0x3f) | 0x80;
    let hex: String = raw.iter().map(|b| format!("{b:02x}")).collect();
    format!("{}-{}-{}-{}-{}", &hex[..8], &hex[8..12], &hex[12..16], &hex[16..20], &hex[20..])
}

#[cfg(test)]
mod tests {
    use super::*;

    impl ClsExports {
        fn create_in_memory(&self, spec: ExportSpec) -> Result<String, CreateRefused> {
            self.create(spec).expect("no state file in unit tests")
        }

        fn delete_in_memory(&self, id: &str) -> bool {
            self.delete(id).expect("no state file in unit tests")
        }
    }
    use export_desk_model::tencent_cls::TOPICS;

    const START: EpochMs = 1_800_000_000_000;

    fn store(fail_rate: f64) -> (Arc<Clock>, ClsExports) {
        let clock = Arc::new(Clock::starting_at(START, 0.000_001));
        let lifecycle = Lifecycle { duration_ms: 10_000, fail_rate };
        (
            Arc::clone(&clock),
            ClsExports::new(Arc::new(StateFile::in_memory(Arc::clone(&clock))), clock, lifecycle, 3, None),
        )
    }

    fn spec(topic: &Topic) -> ExportSpec {
        CreateExportRequest {
            topic_id: Some(topic.id.into()),
            count: Some(10),
            query: Some("*".into()),
            from: Some(START - 60_000),
            to: Some(START),
            ..Default::default()
        }
        .validate()
        .unwrap()
    }

    #[test]
    fn an_export_queues_runs_completes_and_expires_after_three_days() {
        let (clock, exports) = store(0.0);
        let id = exports.create_in_memory(spec(&TOPICS[0])).unwrap();
        assert!(id.starts_with("export-") && id.len() == "export-".len() + 36, "{id}");
        let status = |exports: &ClsExports| exports.get(&id).unwrap().status(clock.now_ms());
        assert_eq!(status(&exports), ExportStatus::Queuing);
        clock.advance(3_500);
        assert_eq!(status(&exports), ExportStatus::Processing);
        clock.advance(10_000);
        assert_eq!(status(&exports), ExportStatus::Completed);
        clock.advance(FILE_KEPT_MS - 14_000);
        assert_eq!(status(&exports), ExportStatus::Completed, "still within three days of completion");
        clock.advance(14_000);
        assert_eq!(status(&exports), ExportStatus::Expired);
    }

    #[test]
    fn failures_follow_the_fail_rate_and_never_expire() {
        let (clock, exports) = store(1.0);
        let id = exports.create_in_memory(spec(&TOPICS[1])).unwrap();
        clock.advance(FILE_KEPT_MS * 2);
        let export = exports.get(&id).unwrap();
        assert_eq!(export.status(clock.now_ms()), ExportStatus::Failed);
        assert!(!export.has_file());
    }

    #[test]
    fn topics_must_exist_be_open_and_have_room() {
        let (_, exports) = store(0.0);
        let mut unknown = spec(&TOPICS[0]);
        unknown.topic_id = "00000000-0000-4000-8000-000000000000".into();
        assert_eq!(exports.create_in_memory(unknown), Err(CreateRefused::TopicNotExist));
        let closed = TOPICS.iter().find(|t| t.closed).unwrap();
        assert_eq!(exports.create_in_memory(spec(closed)), Err(CreateRefused::TopicClosed));
        for _ in 0..EXPORTS_PER_TOPIC_MAX {
            exports.create_in_memory(spec(&TOPICS[2])).unwrap();
        }
        assert_eq!(exports.create_in_memory(spec(&TOPICS[2])), Err(CreateRefused::TooMany));
        assert!(exports.create_in_memory(spec(&TOPICS[0])).is_ok(), "the cap is per topic");
        let last = exports.page(&ExportsPage { topic_id: TOPICS[2].id.into(), offset: 0, limit: 1 }).unwrap();
        assert!(exports.delete_in_memory(&last.exports[0].id));
        assert!(exports.create_in_memory(spec(&TOPICS[2])).is_ok(), "a deletion makes room");
    }

    #[test]
    fn pages_are_newest_first_per_topic_and_deleted_exports_are_gone() {
        let (clock, exports) = store(0.0);
        let ids: Vec<String> = (0..5)
            .map(|_| {
                clock.advance(1);
                exports.create_in_memory(spec(&TOPICS[0])).unwrap()
            })
            .collect();
        exports.create_in_memory(spec(&TOPICS[1])).unwrap();
        let request = |offset, limit| ExportsPage { topic_id: TOPICS[0].id.into(), offset, limit };
        let first = exports.page(&request(0, 2)).unwrap();
        assert_eq!(first.total, 5);
        assert_eq!(first.exports.iter().map(|e| e.id.as_str()).collect::<Vec<_>>(), [&ids[4], &ids[3]]);
        let rest = exports.page(&request(4, 10)).unwrap();
        assert_eq!(rest.exports.iter().map(|e| e.id.as_str()).collect::<Vec<_>>(), [&ids[0]]);
        assert!(exports.delete_in_memory(&ids[4]));
        assert!(!exports.delete_in_memory(&ids[4]), "only once");
        assert_eq!(exports.page(&request(0, 1)).unwrap().exports[0].id, ids[3]);
        assert_eq!(exports.page(&request(0, 100)).unwrap().total, 4);
        let unknown = ExportsPage { topic_id: "nope".into(), offset: 0, limit: 1 };
        assert!(exports.page(&unknown).is_none());
    }

    #[test]
    fn demo_exports_repeat_for_a_seed_and_include_every_stage() {
        let (clock, exports) = store(0.1);
        exports.reset(5, 40);
        let now = clock.now_ms();
        let listing = |exports: &ClsExports| -> Vec<ExportInfo> {
            TOPICS
                .iter()
                .flat_map(|t| {
                    exports.page(&ExportsPage { topic_id: t.id.into(), offset: 0, limit: 100 }).unwrap().exports
                })
                .map(|e| e.to_wire(now, None))
                .collect()
        };
        let first = listing(&exports);
        exports.reset(5, 40);
        assert_eq!(listing(&exports), first);
        assert_eq!(first.len(), 40);
        let statuses: Vec<&str> = first.iter().map(|e| e.status.as_str()).collect();
        for wanted in ["Completed", "Expired"] {
            assert!(statuses.contains(&wanted), "{wanted}: {statuses:?}");
        }
        assert!(statuses.iter().filter(|s| ["Queuing", "Processing"].contains(s)).count() == 2, "{statuses:?}");
        assert!(first.iter().all(|e| e.create_time.len() == 19 && e.file_name.ends_with(".tar.gz")));
    }

    #[test]
    fn the_oldest_exports_of_all_topics_go_when_the_byte_budget_is_exceeded() {
        let (clock, exports) = store(0.0);
        let exports = exports.with_byte_budget(200_000);
        let mut ids = Vec::new();
        for n in 0..30 {
            let mut big = spec(&TOPICS[n % 3]);
            big.query = "q".repeat(12 * 1024);
            ids.push(exports.create_in_memory(big).unwrap());
            clock.advance(1);
        }
        let (bytes, kept) = exports.accounted();
        assert!(bytes <= 200_000 && (5..30).contains(&kept), "{bytes} bytes in {kept} exports");
        assert!(ids[..30 - kept].iter().all(|id| exports.get(id).is_none()), "the oldest are gone");
        assert!(ids[30 - kept..].iter().all(|id| exports.get(id).is_some()), "the newest stay");
        assert!(exports.delete_in_memory(&ids[29]));
        assert!(exports.accounted().0 < bytes, "a deletion gives its bytes back");
    }

    #[test]
    fn names_and_times_are_china_standard_time() {
        // 2021-01-07 06:31:13 UTC is 14:31:13 in Beijing.
        let topic = &TOPICS[0];
        assert_eq!(
            file_name(topic, 1_610_001_073_000),
            format!("log_{MOCK_UIN}_{}_20210107_143113_1610001073.tar.gz", topic.id)
        );
        assert_eq!(china_time(1_610_001_073_000, "%Y-%m-%d %H:%M:%S"), "2021-01-07 14:31:13");
    }

    #[test]
    fn member_names_fit_a_ustar_header_at_any_time() {
        // `log_file` puts `<stem>.json` or `<stem>.csv` in the header's 100-byte name field.
        let chrono_limit = DateTime::<chrono::Utc>::MAX_UTC.timestamp_millis();
        for topic in TOPICS {
            for ms in [i64::MIN, -1, 0, 1_610_001_073_000, chrono_limit - 8 * 3_600_000, chrono_limit, i64::MAX] {
                let member = format!("{}.json", file_name(topic, ms).trim_end_matches(".tar.gz"));
                assert!(member.len() <= 100 && !member.contains('/'), "{member}");
                tar::Header::new_ustar().set_path(&member).unwrap();
            }
        }
    }
}
