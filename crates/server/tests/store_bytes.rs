//! The stores' estimates of their tasks' heap bytes (what `--store-bytes` bounds) against the
//! allocator: this binary counts every byte and allocation live on the heap, fills each store
//! with small and with the largest legal tasks, and checks the store's own count is within a
//! quarter of what it really holds (each allocation charged the 16 bytes glibc's malloc adds).
//!
//! One test function, so no other test allocates while a store is measured. Run with
//! `--nocapture` for the figures (the README's per-task costs come from it).

use export_desk_model::huawei_cdn::history::{PreheatingTaskBody, PreheatingTaskRequest};
use export_desk_model::huawei_cdn::ExportTaskVo;
use export_desk_model::huawei_iotda::{AppType, ExportFormat, ExportSpec as IotdaSpec, Owner, ResourceType};
use export_desk_model::tencent_cls::{CreateExportRequest, TOPICS};
use export_desk_server::mock::clock::Clock;
use export_desk_server::mock::huawei_cdn::{HistoryChange, HistoryTasks, StatsExports};
use export_desk_server::mock::huawei_iotda::ExportTasks;
use export_desk_server::mock::memory::ALLOCATION_OVERHEAD;
use export_desk_server::mock::state_file::StateFile;
use export_desk_server::mock::tencent_cls::ClsExports;
use export_desk_server::mock::Lifecycle;
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicIsize, Ordering};
use std::sync::Arc;

struct Counting;

static LIVE_BYTES: AtomicIsize = AtomicIsize::new(0);
static LIVE_ALLOCATIONS: AtomicIsize = AtomicIsize::new(0);

// SAFETY: every call is passed on to the system allocator unchanged; only counters are added.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        LIVE_BYTES.fetch_add(layout.size() as isize, Ordering::Relaxed);
        LIVE_ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        // SAFETY: the caller's contract is the system allocator's.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE_BYTES.fetch_sub(layout.size() as isize, Ordering::Relaxed);
        LIVE_ALLOCATIONS.fetch_sub(1, Ordering::Relaxed);
        // SAFETY: as above.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        LIVE_BYTES.fetch_add(new_size as isize - layout.size() as isize, Ordering::Relaxed);
        // SAFETY: as above.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Heap bytes live now, each allocation charged the allocator's overhead as the estimates are.
fn live() -> isize {
    LIVE_BYTES.load(Ordering::Relaxed) + LIVE_ALLOCATIONS.load(Ordering::Relaxed) * ALLOCATION_OVERHEAD as isize
}

const START: i64 = 1_800_000_000_000;

fn setup() -> (Arc<Clock>, Arc<StateFile>, Lifecycle) {
    let clock = Arc::new(Clock::starting_at(START, 0.000_001));
    let state = Arc::new(StateFile::in_memory(Arc::clone(&clock)));
    (clock, state, Lifecycle { duration_ms: 10_000, fail_rate: 0.1 })
}

/// Fills a store with `fill`, then compares the growth of the heap with the store's count.
fn measure(what: &str, fill: impl FnOnce() -> (usize, usize)) -> Vec<String> {
    let before = live();
    let (accounted, tasks) = fill();
    let measured = (live() - before) as f64;
    let ratio = measured / accounted as f64;
    println!(
        "{what}: {tasks} tasks, estimated {:.0} B a task, measured {:.0} B a task (measured/estimated {ratio:.2})",
        accounted as f64 / tasks as f64,
        measured / tasks as f64,
    );
    if (0.75..=1.25).contains(&ratio) {
        Vec::new()
    } else {
        vec![format!("{what}: measured/estimated {ratio:.2} is off by more than a quarter")]
    }
}

fn history(urls: usize, url_length: usize, tasks: usize) -> impl FnOnce() -> (usize, usize) {
    move || {
        let (clock, state, lifecycle) = setup();
        let store = HistoryTasks::new(state, clock, lifecycle, 1);
        store.reset(1, 0);
        for n in 0..tasks {
            let urls =
                (0..urls).map(|i| format!("https://{n}.example.com/{i:06}/f{}", "u".repeat(url_length))).collect();
            let body = PreheatingTaskBody { urls: Some(urls), ..PreheatingTaskBody::default() };
            let request = HistoryChange::Preheat(PreheatingTaskRequest { preheating_task: Some(body) });
            store.create(request).expect("no state file").expect("valid URLs");
        }
        let accounted = store.accounted();
        std::mem::forget(store);
        accounted
    }
}

fn stats(domains: usize, tasks: usize) -> impl FnOnce() -> (usize, usize) {
    move || {
        let (clock, state, lifecycle) = setup();
        let store = StatsExports::new(state, Arc::clone(&clock), lifecycle, 1, None);
        store.reset(1, 0);
        for n in 0..tasks {
            let names: Vec<String> = (0..domains).map(|d| format!("{}{n}-{d}.example.com", "d".repeat(40))).collect();
            let start = 1_763_942_400_000 + (n as i64 % 50) * 3_600_000;
            let vo = ExportTaskVo {
                action: Some("reports_detail".into()),
                domain_name: Some(names.join(",")),
                start_time: Some(start),
                end_time: Some(start + 86_400_000),
                ..ExportTaskVo::default()
            };
            let spec = vo.validate().expect("valid export");
            store.create(vo, spec).expect("no state file");
            if n % 10 == 0 {
                clock.advance(2_000);
            }
        }
        let accounted = store.accounted();
        std::mem::forget(store);
        accounted
    }
}

fn iotda(owners: usize, tasks_each: usize) -> impl FnOnce() -> (usize, usize) {
    move || {
        let (clock, state, lifecycle) = setup();
        let store = ExportTasks::new(state, Arc::clone(&clock), lifecycle, 1);
        store.reset(1, 0);
        for o in 0..owners {
            let owner = Owner { project_id: format!("{o:0>32}"), instance_id: Some(format!("{o:0>36}")) };
            for t in 0..tasks_each {
                let spec = IotdaSpec {
                    resource_type: ResourceType::BatchTask,
                    batch_task_id: format!("{t:0>24x}"),
                    export_format: ExportFormat::Xls,
                    app_type: AppType::App,
                    app_id: Some(format!("{t:0>36}")),
                };
                store.create_at(&owner, spec, clock.now_ms()).expect("room for the task");
                // Finished before the next, so the five-unfinished rule never refuses.
                clock.advance(20_000);
            }
        }
        let accounted = store.accounted();
        std::mem::forget(store);
        accounted
    }
}

fn cls(query_bytes: usize, fields: usize, exports: usize) -> impl FnOnce() -> (usize, usize) {
    move || {
        let (clock, state, lifecycle) = setup();
        let store = ClsExports::new(state, Arc::clone(&clock), lifecycle, 1, None);
        store.reset(1, 0);
        for n in 0..exports {
            let topic = &TOPICS[n % 3];
            let request = CreateExportRequest {
                topic_id: Some(topic.id.to_owned()),
                count: Some(1000),
                query: Some("q".repeat(query_bytes)),
                from: Some(START - 3_600_000),
                to: Some(START),
                derived_fields: (fields > 0).then(|| (0..fields).map(|f| format!("{f:0>256}")).collect()),
                ..CreateExportRequest::default()
            };
            let spec = request.validate().expect("valid export");
            store.create(spec).expect("no state file").expect("room on the topic");
            clock.advance(1);
        }
        let accounted = store.accounted();
        std::mem::forget(store);
        accounted
    }
}

#[test]
fn each_stores_byte_count_is_within_a_quarter_of_the_heap_it_holds() {
    let mut off = Vec::new();
    off.extend(measure("CDN refresh/preheat, 1 URL of 40 B", history(1, 0, 20_000)));
    off.extend(measure("CDN refresh/preheat, 1,000 URLs of 200 B", history(1000, 170, 100)));
    off.extend(measure("CDN refresh/preheat, 1,000 URLs of 4,096 B", history(1000, 4060, 10)));
    off.extend(measure("CDN statistics, 1 domain", stats(1, 20_000)));
    off.extend(measure("CDN statistics, 100 domains of 60 B", stats(100, 2_000)));
    off.extend(measure("IoTDA, 1,000 owners of 1 task", iotda(1000, 1)));
    off.extend(measure("IoTDA, 200 owners of 50 tasks", iotda(200, 50)));
    off.extend(measure("CLS, Query of 10 B", cls(10, 0, 2_000)));
    off.extend(measure("CLS, Query of 12 KiB and 100 fields of 256 B", cls(12 * 1024, 100, 300)));
    assert!(off.is_empty(), "{off:#?}");
}
