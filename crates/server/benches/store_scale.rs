//! How list calls scale with the size of the mock's stores: fills each store to its cap (a
//! million tasks) and times pages in every order, deep pages and filtered pages. A report, not a
//! test: run `cargo bench -p export-desk-server --bench store_scale` and read the table.
//!
//! The stores are driven through the same methods the HTTP handlers call, so what is timed is the
//! work of one request minus the JSON and the network.

use export_desk_model::huawei_cdn::history::{
    OrderField, OrderType, PreheatingTaskBody, PreheatingTaskRequest, RefreshTaskBody, RefreshTaskRequest,
    ShowHistoryTasksQuery, TaskStatus, TaskType,
};
use export_desk_model::huawei_cdn::ExportTaskVo;
use export_desk_server::mock::clock::Clock;
use export_desk_server::mock::huawei_cdn::{HistoryChange, HistoryTasks, ListRequest, StatsExports};
use export_desk_server::mock::state_file::StateFile;
use export_desk_server::mock::Lifecycle;
use std::sync::Arc;
use std::time::{Duration, Instant};

const TASKS: usize = 1_000_000;

fn main() {
    let clock = Arc::new(Clock::starting_at(1_800_000_000_000, 1.0));
    let lifecycle = Lifecycle { duration_ms: 20_000, fail_rate: 0.1 };
    println!("store scale report: {TASKS} tasks per store (release build)\n");
    history(&clock, lifecycle);
    stats(&clock, lifecycle);
    println!("\nresident memory after both stores: {}", resident_memory());
}

fn history(clock: &Arc<Clock>, lifecycle: Lifecycle) {
    let state = Arc::new(StateFile::in_memory(Arc::clone(clock)));
    let tasks = HistoryTasks::new(state, Arc::clone(clock), lifecycle, 1);
    tasks.reset(1, 0);
    let started = Instant::now();
    for n in 0..TASKS {
        let urls = Some(vec![format!("https://www.example.com/{n}")]);
        let request = if n % 3 == 0 {
            HistoryChange::Preheat(PreheatingTaskRequest {
                preheating_task: Some(PreheatingTaskBody { urls, ..PreheatingTaskBody::default() }),
            })
        } else {
            HistoryChange::Refresh(RefreshTaskRequest {
                refresh_task: Some(RefreshTaskBody { urls, ..RefreshTaskBody::default() }),
            })
        };
        tasks.create(request).expect("no state file").expect("valid URLs");
        if n % 1000 == 0 {
            clock.advance(1000);
        }
    }
    println!("CDN refresh/preheat tasks: filled in {:.1?}", started.elapsed());
    let base = ShowHistoryTasksQuery::default().validate().expect("defaults are valid");
    let mut cases = Vec::new();
    for (size, number) in [(30, 1), (10_000, 1), (10_000, 100)] {
        for field in OrderField::ALL {
            for order_type in [OrderType::Desc, OrderType::Asc] {
                let mut filter = base.clone();
                (filter.page.size, filter.page.number, filter.order_field, filter.order_type) =
                    (size, number, *field, order_type);
                cases.push((format!("{} {} page {number} × {size}", field.as_str(), order_type.as_str()), filter));
            }
        }
    }
    let mut done = base.clone();
    done.status = Some(TaskStatus::Done);
    cases.push(("status=task_done, page 1 × 30".to_owned(), done));
    let mut preheat = base.clone();
    preheat.task_type = Some(TaskType::Preheating);
    preheat.start_ms = Some(clock.now_ms() - 86_400_000);
    cases.push(("preheating, last day, page 1 × 30".to_owned(), preheat));
    for (name, filter) in cases {
        let (elapsed, answer) = time(|| tasks.list(&filter));
        println!("  {name:<44} {:>9.2?}  ({} rows of {})", elapsed, answer.tasks.len(), answer.total);
    }
}

fn stats(clock: &Arc<Clock>, lifecycle: Lifecycle) {
    let state = Arc::new(StateFile::in_memory(Arc::clone(clock)));
    let exports = StatsExports::new(state, Arc::clone(clock), lifecycle, 1, None);
    let now = clock.now_ms();
    let vo = ExportTaskVo {
        action: Some("reports_detail".to_owned()),
        domain_name: Some("www.example.com".to_owned()),
        start_time: Some(now - 86_400_000),
        end_time: Some(now),
        ..ExportTaskVo::default()
    };
    let spec = vo.validate().expect("a valid export");
    let started = Instant::now();
    for _ in 0..TASKS {
        exports.create(vo.clone(), spec.clone()).expect("no state file");
    }
    clock.advance(60_000);
    println!("\nCDN statistics export tasks: filled in {:.1?}", started.elapsed());
    let cases = [
        ("page 1 × 100", ListRequest { limit: 100, offset: 0, ..ListRequest::default() }),
        ("offset 500000 × 100", ListRequest { limit: 100, offset: 500_000, ..ListRequest::default() }),
        (
            "task_name substring, page 1 × 10",
            ListRequest { limit: 10, task_name: Some("flux".into()), ..ListRequest::default() },
        ),
    ];
    for (name, request) in cases {
        let (elapsed, answer) = time(|| exports.list(&request, "http://127.0.0.1"));
        println!("  {name:<44} {:>9.2?}  ({} rows of {})", elapsed, answer.data.len(), answer.total);
    }
}

/// The best of five runs: the first pays for cold caches.
fn time<T>(mut call: impl FnMut() -> T) -> (Duration, T) {
    let mut best = Duration::MAX;
    let mut answer = None;
    for _ in 0..5 {
        let started = Instant::now();
        let result = call();
        best = best.min(started.elapsed());
        answer = Some(result);
    }
    (best, answer.expect("ran at least once"))
}

fn resident_memory() -> String {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status.lines().find(|l| l.starts_with("VmRSS:")).map(|l| l["VmRSS:".len()..].trim().to_owned())
        })
        .unwrap_or_else(|| "unknown".to_owned())
}
