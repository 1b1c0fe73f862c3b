//! What the mock's stores may hold, in bytes (`--store-bytes`), and how a store estimates what
//! one of its tasks takes.
//!
//! Each store adds up an estimate of its tasks' heap bytes as it inserts them and forgets its
//! oldest tasks while the sum is over its share. The estimate is computed from the task's content
//! only (string lengths, counts and fixed struct sizes), never from the allocator or the clock,
//! so replaying the state file evicts exactly the tasks the live run evicted.

/// Bytes the allocator spends on each allocation beyond what was asked: glibc's malloc keeps an
/// 8-byte header and rounds up to 16, so 16 is its average for the small allocations here.
pub const ALLOCATION_OVERHEAD: usize = 16;

/// The least `--store-bytes` accepted: every store can still hold a few ordinary tasks.
pub const MIN_STORE_BYTES: usize = 1 << 20;

/// Heap bytes of a string's text (nothing when empty: an empty `String` does not allocate).
pub fn text_bytes(text: &str) -> usize {
    if text.is_empty() {
        0
    } else {
        text.len() + ALLOCATION_OVERHEAD
    }
}

pub fn optional_text_bytes(text: Option<&str>) -> usize {
    text.map_or(0, text_bytes)
}

/// Heap bytes of a vector of `len` items of `item_size` bytes (their own heap not included).
pub fn vec_bytes(len: usize, item_size: usize) -> usize {
    if len == 0 {
        0
    } else {
        len * item_size + ALLOCATION_OVERHEAD
    }
}

/// Each store's share of `--store-bytes`. CDN refresh/preheat tasks get half: a task may carry
/// 1,000 URLs of 4,096 characters, so they are what a flood fills first. Statistics exports get a
/// quarter (about a kilobyte each, tens of kilobytes with a hundred long domain names); IoTDA and
/// CLS an eighth each, as their own item caps (1,000 owners of 50 tasks; 1,000 exports on each
/// of three open topics) already keep them near or under it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StoreBudgets {
    pub cdn_history: usize,
    pub cdn_stats: usize,
    pub iotda: usize,
    pub cls: usize,
}

impl StoreBudgets {
    pub fn split(total: usize) -> Self {
        Self { cdn_history: total / 2, cdn_stats: total / 4, iotda: total / 8, cls: total / 8 }
    }
}

/// Makes glibc's malloc give every large buffer (128 KiB and up) back to the system when it is
/// freed. By default glibc raises that threshold to the largest buffer freed so far (up to 32 MiB),
/// after which multi-megabyte request bodies are carved from its heaps and stay resident: under a
/// flood of 16 MB bodies that kept 733 MiB resident where the live data were under 450 MiB. A
/// fixed threshold turns the dynamic raise off. `MALLOC_MMAP_THRESHOLD_` in the environment wins.
pub fn return_large_buffers_to_the_system() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        const M_MMAP_THRESHOLD: std::os::raw::c_int = -3;
        extern "C" {
            fn mallopt(param: std::os::raw::c_int, value: std::os::raw::c_int) -> std::os::raw::c_int;
        }
        if std::env::var_os("MALLOC_MMAP_THRESHOLD_").is_none() {
            // SAFETY: mallopt only sets a tuning parameter of glibc's allocator; it takes the
            // allocator's own lock and may be called at any time.
            unsafe {
                mallopt(M_MMAP_THRESHOLD, 128 * 1024);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shares_add_up_to_at_most_the_total() {
        let budgets = StoreBudgets::split(384 << 20);
        assert_eq!(budgets.cdn_history, 192 << 20);
        assert_eq!(budgets.cdn_stats, 96 << 20);
        assert_eq!(budgets.iotda + budgets.cls, 96 << 20);
        let odd = StoreBudgets::split(1_000_003);
        assert!(odd.cdn_history + odd.cdn_stats + odd.iotda + odd.cls <= 1_000_003);
    }
}
