//! The words of a list's CSV export ("Download list as CSV", its progress, the provider's rate
//! limit, the cap) and of sortable headers: the struct, then English, then Simplified Chinese.

/// Every text of this area in one language.
pub struct ListExport {
    pub download: &'static str,
    /// The download button's description: "Every row the filters match, up to {cap} rows, …".
    pub download_hint: fn(u64) -> String,
    /// The progress bar's accessible name.
    pub progress_label: &'static str,
    /// "1,200 of 5,400 rows" (rows so far, and in all when the API says).
    pub progress: fn(u64, Option<u64>) -> String,
    pub cancel: &'static str,
    /// The provider refused for asking too fast: "… trying again in {secs} s (attempt {n} of {max})".
    pub rate_limited: fn(u32, u32, u32) -> String,
    /// Under the error of a failed export: "{rows} rows fetched; Retry goes on from there."
    pub failed_after: fn(u64) -> String,
    /// "Saved {rows} rows as {file}."
    pub saved: fn(u64, &str) -> String,
    /// The cap cut the export: "Saved the first {cap} of {total} rows as {file}: …".
    pub capped: fn(u64, Option<u64>, &str) -> String,
    pub cancelled: &'static str,
}

/// `1,200`: digits in groups of three, as both consoles write counts.
fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

pub const EN: ListExport = ListExport {
    download: "Download list as CSV",
    download_hint: |cap| {
        format!(
            "Every row the filters match, not only this page, up to {} rows; times in the time zone chosen in Settings.",
            grouped(cap)
        )
    },
    progress_label: "Rows fetched for the CSV file",
    progress: |rows, total| match total {
        Some(total) => format!("{} of {} rows", grouped(rows), grouped(total)),
        None => format!("{} rows", grouped(rows)),
    },
    cancel: "Cancel",
    rate_limited: |secs, attempt, max| {
        format!("The provider asks to slow down: trying again in {secs} s (attempt {attempt} of {max}).")
    },
    failed_after: |rows| format!("{} rows fetched before the error; Retry goes on from there.", grouped(rows)),
    saved: |rows, file| format!("Saved {} rows as {file}.", grouped(rows)),
    capped: |cap, total, file| match total {
        Some(total) => format!(
            "Saved the first {} of {} rows as {file}: an export stops at {} rows. Narrow the filters to take the rest.",
            grouped(cap),
            grouped(total),
            grouped(cap)
        ),
        None => format!(
            "Saved the first {} rows as {file}: an export stops at {} rows. Narrow the filters to take the rest.",
            grouped(cap),
            grouped(cap)
        ),
    },
    cancelled: "Export cancelled: no file was saved.",
};

pub const ZH_CN: ListExport = ListExport {
    download: "下载列表（CSV）",
    download_hint: |cap| {
        format!("导出符合筛选条件的所有行（不只是本页），最多 {} 行；时间按设置中选择的时区显示。", grouped(cap))
    },
    progress_label: "已获取的 CSV 文件行数",
    progress: |rows, total| match total {
        Some(total) => format!("已获取 {} 行，共 {} 行", grouped(rows), grouped(total)),
        None => format!("已获取 {} 行", grouped(rows)),
    },
    cancel: "取消",
    rate_limited: |secs, attempt, max| format!("云服务要求降低请求频率：{secs} 秒后重试（第 {attempt}/{max} 次）。"),
    failed_after: |rows| format!("出错前已获取 {} 行；点击“重试”将从中断处继续。", grouped(rows)),
    saved: |rows, file| format!("已将 {} 行保存为 {file}。", grouped(rows)),
    capped: |cap, total, file| match total {
        Some(total) => format!(
            "已将前 {} 行（共 {} 行）保存为 {file}：每次导出最多 {} 行。请缩小筛选范围以导出其余的行。",
            grouped(cap),
            grouped(total),
            grouped(cap)
        ),
        None => format!(
            "已将前 {} 行保存为 {file}：每次导出最多 {} 行。请缩小筛选范围以导出其余的行。",
            grouped(cap),
            grouped(cap)
        ),
    },
    cancelled: "已取消导出，未保存文件。",
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_are_grouped_by_thousands() {
        assert_eq!(grouped(0), "0");
        assert_eq!(grouped(999), "999");
        assert_eq!(grouped(1_200), "1,200");
        assert_eq!(grouped(100_000), "100,000");
        assert_eq!(grouped(1_234_567), "1,234,567");
        assert_eq!((EN.progress)(1_200, Some(5_400)), "1,200 of 5,400 rows");
        assert_eq!((ZH_CN.progress)(1_200, Some(5_400)), "已获取 1,200 行，共 5,400 行");
    }
}
