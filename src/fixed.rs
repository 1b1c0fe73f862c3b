//! Floats as fixed-point text without Rust's float formatter: [`fixed`]`(x, 2)` is the text of
//! `format!("{x:.2}")`, digit for digit, but `format!` on an `f64` brings core's float printing
//! (Grisu with a Dragon4 fallback and its tables) into the bundle: 6.7 KB brotli measured, for the
//! handful of numbers the dashboard shows with decimals. Here the float's exact binary value is
//! scaled and rounded with integers, half to even, as `format!` rounds.

/// `value` with `decimals` (at most 3) digits after the point: the same text as
/// `format!("{value:.decimals$}")` for every `f64` whose magnitude is below 2^64, and for NaN and
/// the infinities. Larger values, which the dashboard never shows, saturate at `u64::MAX`.
pub fn fixed(value: f64, decimals: usize) -> String {
    assert!(decimals <= 3, "fixed: at most 3 decimals");
    if value.is_nan() {
        return "NaN".to_owned();
    }
    let sign = if value.is_sign_negative() { "-" } else { "" };
    if value.is_infinite() {
        return format!("{sign}inf");
    }
    let bits = value.to_bits();
    let exponent = ((bits >> 52) & 0x7ff) as i32;
    let fraction = bits & ((1 << 52) - 1);
    // value = mantissa × 2^power, exactly.
    let (mantissa, power) = if exponent == 0 { (fraction, -1074) } else { (fraction | (1 << 52), exponent - 1075) };
    if power >= 0 {
        // A whole number (2^52 or more): no rounding, zeros after the point.
        let whole = if power <= 11 { mantissa << power } else { u64::MAX };
        return match decimals {
            0 => format!("{sign}{whole}"),
            _ => format!("{sign}{whole}.{:0>decimals$}", 0),
        };
    }
    // value × 10^decimals = numerator / 2^shift, with numerator < 2^53 × 1000 < 2^63.
    let numerator = mantissa * 10u64.pow(decimals as u32);
    let shift = power.unsigned_abs();
    let scaled = if shift >= 64 {
        0 // below half a unit
    } else {
        let quotient = numerator >> shift;
        let remainder = numerator & ((1u64 << shift) - 1);
        let half = 1u64 << (shift - 1);
        if remainder > half || (remainder == half && quotient % 2 == 1) {
            quotient + 1
        } else {
            quotient
        }
    };
    if decimals == 0 {
        return format!("{sign}{scaled}");
    }
    let digits = format!("{scaled:0>width$}", width = decimals + 1);
    let (whole, part) = digits.split_at(digits.len() - decimals);
    format!("{sign}{whole}.{part}")
}

#[cfg(test)]
mod tests {
    use super::fixed;

    fn same(value: f64) {
        for decimals in [0, 1, 2, 3] {
            if value.abs() < 18_446_744_073_709_551_616.0 || !value.is_finite() {
                assert_eq!(fixed(value, decimals), format!("{value:.decimals$}"), "{value:e} with {decimals}");
            }
        }
    }

    #[test]
    fn writes_what_format_writes() {
        for value in [
            0.0,
            -0.0,
            1.0,
            -1.0,
            0.5,
            1.5,
            2.5,
            -2.5,
            0.25,
            0.35,
            0.125,
            0.375,
            9.95,
            9.96,
            99.995,
            1e-7,
            5e-324,
            f64::MIN_POSITIVE,
            123_456.789,
            1023.999,
            18_446_744_073_709_549_568.0,
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
        ] {
            same(value);
        }
    }

    #[test]
    fn rounds_exact_halves_to_even_as_format_does() {
        for n in 0..4096u32 {
            same(f64::from(n) / 8.0);
            same(f64::from(n) / 1024.0);
        }
    }

    #[test]
    fn writes_the_dashboards_numbers_as_format_does() {
        // Percentages of a progress bar and sizes in binary units, as the pages compute them.
        for total in 1..=400u32 {
            for n in 0..=total {
                same(f64::from(n) * 100.0 / f64::from(total));
            }
        }
        for bytes in (0..(1u64 << 22)).step_by(7) {
            same(bytes as f64 / 1024.0);
        }
    }

    #[test]
    fn writes_any_float_as_format_does() {
        // A fixed-seed xorshift over every bit pattern: every exponent, subnormals included.
        let mut state = 0x9e37_79b9_7f4a_7c15u64;
        for _ in 0..200_000 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            same(f64::from_bits(state));
        }
    }

    #[test]
    fn saturates_from_two_to_the_64() {
        assert_eq!(fixed(18_446_744_073_709_551_616.0, 2), "18446744073709551615.00");
        assert_eq!(fixed(-1e300, 0), "-18446744073709551615");
    }
}
