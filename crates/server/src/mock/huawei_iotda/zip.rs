//! A minimal zip writer: STORED (uncompressed) entries with their CRC-32, which is all the
//! export download needs and every unzip tool reads. Written by hand so the mock needs no zip
//! crate; compression would gain nothing worth a dependency for files under a megabyte. The
//! CRC-32 is `crc32fast`'s, the one flate2 already uses for gzip.

use chrono::{DateTime, Datelike, Timelike};

/// One file in the archive.
pub struct Entry<'a> {
    /// ASCII or UTF-8 (flagged as such in the headers).
    pub name: &'a str,
    pub data: &'a [u8],
    /// Modification time, milliseconds since the epoch (stored in DOS form, UTC, 2 s steps).
    pub modified_ms: i64,
}

const LOCAL_HEADER: u32 = 0x0403_4b50;
const CENTRAL_HEADER: u32 = 0x0201_4b50;
const END_OF_CENTRAL_DIRECTORY: u32 = 0x0605_4b50;
/// 1.0: the version an unzipper needs for stored entries; 2.0 for "made by" (DOS attributes).
const VERSION_NEEDED: u16 = 10;
const VERSION_MADE_BY: u16 = 20;
/// General purpose flag bit 11: names are UTF-8.
const UTF8_NAMES: u16 = 1 << 11;
const METHOD_STORED: u16 = 0;

/// The archive holding `entries`, in order. Entries and the archive must stay below 4 GiB (the
/// classic zip format's limit); export files are well under a megabyte.
pub fn stored(entries: &[Entry<'_>]) -> Vec<u8> {
    let mut out = Vec::with_capacity(entries.iter().map(|e| e.data.len() + e.name.len() + 100).sum::<usize>() + 22);
    let mut central = Vec::new();
    for entry in entries {
        let offset = size32(out.len());
        let crc = crc32fast::hash(entry.data);
        let (time, date) = dos_time(entry.modified_ms);
        let size = size32(entry.data.len());
        let name_len = u16::try_from(entry.name.len()).expect("entry names are short");

        put32(&mut out, LOCAL_HEADER);
        for value in [VERSION_NEEDED, UTF8_NAMES, METHOD_STORED, time, date] {
            put16(&mut out, value);
        }
        for value in [crc, size, size] {
            put32(&mut out, value);
        }
        put16(&mut out, name_len);
        put16(&mut out, 0); // no extra field
        out.extend_from_slice(entry.name.as_bytes());
        out.extend_from_slice(entry.data);

        put32(&mut central, CENTRAL_HEADER);
        for value in [VERSION_MADE_BY, VERSION_NEEDED, UTF8_NAMES, METHOD_STORED, time, date] {
            put16(&mut central, value);
        }
        for value in [crc, size, size] {
            put32(&mut central, value);
        }
        // Name length, then no extra field, no comment, disk 0, no internal attributes.
        for value in [name_len, 0, 0, 0, 0] {
            put16(&mut central, value);
        }
        put32(&mut central, 0); // no external attributes
        put32(&mut central, offset);
        central.extend_from_slice(entry.name.as_bytes());
    }
    let central_offset = size32(out.len());
    let central_size = size32(central.len());
    out.extend_from_slice(&central);
    let count = u16::try_from(entries.len()).expect("a handful of entries");
    put32(&mut out, END_OF_CENTRAL_DIRECTORY);
    // This disk, the disk the directory starts on, entries here, entries in all.
    for value in [0, 0, count, count] {
        put16(&mut out, value);
    }
    put32(&mut out, central_size);
    put32(&mut out, central_offset);
    put16(&mut out, 0); // no archive comment
    out
}

/// DOS time and date words; zip cannot say anything before 1980, so earlier times read 1980-01-01.
fn dos_time(ms: i64) -> (u16, u16) {
    let Some(at) = DateTime::from_timestamp_millis(ms).filter(|at| at.year() >= 1980) else {
        return (0, (1 << 5) | 1);
    };
    let time = (at.hour() << 11) | (at.minute() << 5) | (at.second() / 2);
    let date = ((at.year() as u32 - 1980).min(127) << 9) | (at.month() << 5) | at.day();
    (time as u16, date as u16)
}

fn size32(size: usize) -> u32 {
    u32::try_from(size).expect("export archives stay far below the 4 GiB zip limit")
}

fn put16(out: &mut Vec<u8>, value: u16) {
    out.extend_from_slice(&value.to_le_bytes());
}

fn put32(out: &mut Vec<u8>, value: u32) {
    out.extend_from_slice(&value.to_le_bytes());
}

#[cfg(test)]
mod tests {
    use super::*;

    fn u16_at(bytes: &[u8], at: usize) -> u16 {
        u16::from_le_bytes([bytes[at], bytes[at + 1]])
    }

    fn u32_at(bytes: &[u8], at: usize) -> u32 {
        u32::from_le_bytes(bytes[at..at + 4].try_into().unwrap())
    }

    #[test]
    fn the_crc_is_the_crc_32_zip_uses() {
        // The standard check value of CRC-32/ISO-HDLC, the variant zip (and gzip) use.
        assert_eq!(crc32fast::hash(b"123456789"), 0xcbf4_3926);
        assert_eq!(crc32fast::hash(b""), 0);
    }

    #[test]
    fn the_archive_has_headers_directory_and_end_record_that_agree() {
        let modified_ms = 1_795_451_805_054; // 2026-11-23T16:36:45Z
        let archive = stored(&[
            Entry { name: "a.xls", data: b"hello", modified_ms },
            Entry { name: "b.txt", data: b"", modified_ms },
        ]);
        assert_eq!(u32_at(&archive, 0), LOCAL_HEADER);
        assert_eq!(u32_at(&archive, 14), 0x3610_a686, "CRC-32 of `hello`");
        assert_eq!((u32_at(&archive, 18), u32_at(&archive, 22)), (5, 5));
        assert_eq!(&archive[30..35], b"a.xls");
        assert_eq!(&archive[35..40], b"hello");
        let (time, date) = (u16_at(&archive, 10), u16_at(&archive, 12));
        assert_eq!((date >> 9, (date >> 5) & 15, date & 31), (46, 11, 23));
        assert_eq!((time >> 11, (time >> 5) & 63, (time & 31) * 2), (16, 36, 44));

        let end = archive.len() - 22;
        assert_eq!(u32_at(&archive, end), END_OF_CENTRAL_DIRECTORY);
        assert_eq!((u16_at(&archive, end + 8), u16_at(&archive, end + 10)), (2, 2));
        let (size, offset) = (u32_at(&archive, end + 12) as usize, u32_at(&archive, end + 16) as usize);
        assert_eq!(offset + size, end);
        assert_eq!(u32_at(&archive, offset), CENTRAL_HEADER);
        let second = offset + 46 + "a.xls".len();
        assert_eq!(u32_at(&archive, second), CENTRAL_HEADER);
        let second_local = u32_at(&archive, second + 42) as usize;
        assert_eq!(u32_at(&archive, second_local), LOCAL_HEADER);
        assert_eq!(&archive[second_local + 30..second_local + 35], b"b.txt");
    }

    #[test]
    fn times_before_1980_read_as_its_first_day() {
        assert_eq!(dos_time(0), (0, 0x21));
    }
}
