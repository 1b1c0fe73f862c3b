//! The file an export task downloads: a zip holding one `.xls` with a row per sub-task of the
//! exported batch task (device, node, outcome, error).
//!
//! The workbook is SpreadsheetML 2003 ("XML Spreadsheet"), Excel's own XML format for `.xls`:
//! Excel, LibreOffice and WPS open it with typed cells and a bold heading, it is plain UTF-8 (so
//! Chinese text needs no code pages) and can be written row by row. A binary BIFF8 file would
//! also need an OLE compound-document container, much more code for no gain to a user.
//!
//! The rows are a pure function of the mock's seed and the batch task id, so every export of a
//! batch task, and every download of it, has the same rows: the count a task reports as
//! `export_count` is exactly the rows its file holds.

use super::zip;
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use std::fmt::Write as _;

/// Sub-tasks of a mock batch task. Real batch tasks may be larger; this keeps a file under a
/// megabyte while still spanning many screens.
const SUB_TASKS: std::ops::RangeInclusive<u64> = 1..=1200;
/// Share of sub-tasks that failed.
const FAILURE_RATE: f64 = 0.12;
const HEADINGS: [&str; 4] = ["Device ID", "Node ID", "Status", "Error"];
/// Why a sub-task failed, as a batch task's detail reports it.
const ERRORS: [&str; 5] = [
    "The device is offline.",
    "The device did not answer within 30 seconds.",
    "The device rejected the command: unsupported service.",
    "Firmware package verification failed on the device.",
    "The device was deleted while the task was running.",
];

/// One sub-task of a batch task.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub device_id: String,
    pub node_id: String,
    pub status: &'static str,
    pub error: &'static str,
}

/// How many rows an export of `batch_task_id` holds.
pub fn row_count(seed: u64, batch_task_id: &str) -> u64 {
    generator(seed, batch_task_id).random_range(SUB_TASKS)
}

/// The rows of an export of `batch_task_id`, in sub-task order.
pub fn rows(seed: u64, batch_task_id: &str) -> impl Iterator<Item = Row> {
    let mut rng = generator(seed, batch_task_id);
    let count = rng.random_range(SUB_TASKS);
    // One product per batch task; IoTDA device ids are `<product_id>_<node_id>`.
    let product_id: String = (0..24).map(|_| char::from_digit(rng.random_range(0..16), 16).unwrap_or('0')).collect();
    let first_node = rng.random_range(1..900_000u64);
    (0..count).map(move |n| {
        let node_id = format!("meter-{:06}", first_node + n);
        let failed = rng.random_bool(FAILURE_RATE);
        Row {
            device_id: format!("{product_id}_{node_id}"),
            node_id,
            status: if failed { "Fail" } else { "Success" },
            error: if failed { ERRORS[rng.random_range(0..ERRORS.len())] } else { "" },
        }
    })
}

/// The name of the workbook inside the zip.
pub fn workbook_name(batch_task_id: &str) -> String {
    format!("BatchTask_{batch_task_id}.xls")
}

/// The name the download is saved under.
pub fn archive_name(export_task_id: &str) -> String {
    format!("{export_task_id}.zip")
}

/// The zip a successful export downloads; `finished_ms` dates the workbook inside.
pub fn archive(seed: u64, batch_task_id: &str, finished_ms: i64) -> Vec<u8> {
    let workbook = workbook(rows(seed, batch_task_id));
    zip::stored(&[zip::Entry {
        name: &workbook_name(batch_task_id),
        data: workbook.as_bytes(),
        modified_ms: finished_ms,
    }])
}

/// The SpreadsheetML workbook: one sheet, a bold heading row, then `rows`.
pub fn workbook(rows: impl Iterator<Item = Row>) -> String {
    let mut xml = String::from(concat!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n",
        "<?mso-application progid=\"Excel.Sheet\"?>\n",
        "<Workbook xmlns=\"urn:schemas-microsoft-com:office:spreadsheet\"",
        " xmlns:o=\"urn:schemas-microsoft-com:office:office\"",
        " xmlns:x=\"urn:schemas-microsoft-com:office:excel\"",
        " xmlns:ss=\"urn:schemas-microsoft-com:office:spreadsheet\">\n",
        " <Styles>\n  <Style ss:ID=\"heading\"><Font ss:Bold=\"1\"/></Style>\n </Styles>\n",
        " <Worksheet ss:Name=\"BatchTask\">\n  <Table>\n",
        "   <Column ss:Width=\"280\"/><Column ss:Width=\"110\"/><Column ss:Width=\"60\"/><Column ss:Width=\"320\"/>\n",
    ));
    push_row(&mut xml, Some("heading"), &HEADINGS);
    for row in rows {
        push_row(&mut xml, None, &[&row.device_id, &row.node_id, row.status, row.error]);
    }
    xml.push_str("  </Table>\n </Worksheet>\n</Workbook>\n");
    xml
}

fn push_row(xml: &mut String, style: Option<&str>, cells: &[&str]) {
    match style {
        Some(style) => {
            let _ = write!(xml, "   <Row ss:StyleID=\"{style}\">");
        }
        None => xml.push_str("   <Row>"),
    }
    for cell in cells {
        xml.push_str("<Cell><Data ss:Type=\"String\">");
        escape_into(xml, cell);
        xml.push_str("</Data></Cell>");
    }
    xml.push_str("</Row>\n");
}

fn escape_into(xml: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => xml.push_str("&amp;"),
            '<' => xml.push_str("&lt;"),
            '>' => xml.push_str("&gt;"),
            '"' => xml.push_str("&quot;"),
            c => xml.push(c),
        }
    }
}

/// The generator of a batch task's rows: the seed and the batch task id mixed, so different
/// batch tasks get different rows.
fn generator(seed: u64, batch_task_id: &str) -> ChaCha8Rng {
    crate::mock::seeded::generator(seed, "iotda batch task", batch_task_id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_are_as_many_as_counted_and_repeat_for_a_seed() {
        for id in ["a", "5f1a2b3c4d5e6f7a8b9c0d1e", "ffff"] {
            let rows: Vec<Row> = rows(9, id).collect();
            assert_eq!(rows.len() as u64, row_count(9, id), "{id}");
            assert_eq!(rows, super::rows(9, id).collect::<Vec<_>>());
            assert!(rows.iter().all(|r| r.device_id.ends_with(&format!("_{}", r.node_id))));
            assert!(rows.iter().all(|r| (r.status == "Fail") != r.error.is_empty()), "failures say why");
        }
        assert_ne!(rows(9, "a").next(), rows(10, "a").next(), "another seed, other devices");
    }

    #[test]
    fn the_workbook_is_spreadsheetml_with_a_heading_and_one_row_each() {
        let failing = Row { device_id: "p_n<1>".into(), node_id: "n&1".into(), status: "Fail", error: "\"x\"" };
        let xml = workbook([failing].into_iter());
        assert!(xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"));
        assert!(xml.contains("<?mso-application progid=\"Excel.Sheet\"?>"));
        assert_eq!(xml.matches("<Row").count(), 2);
        assert!(xml.contains("p_n&lt;1&gt;") && xml.contains("n&amp;1") && xml.contains("&quot;x&quot;"));
        assert!(xml.trim_end().ends_with("</Workbook>"));
    }

    #[test]
    fn the_archive_holds_the_workbook_uncompressed() {
        let archive = archive(3, "abc", 1_795_451_805_054);
        let name = workbook_name("abc");
        assert_eq!(&archive[30..30 + name.len()], name.as_bytes());
        let body = workbook(rows(3, "abc"));
        let start = 30 + name.len();
        assert_eq!(&archive[start..start + body.len()], body.as_bytes());
    }
}
