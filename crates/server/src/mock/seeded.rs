//! The one way the mock turns its seed and a name into a generator: a `ChaCha8Rng` keyed by the
//! SHA-256 of a purpose, the seed and a text (a topic id, a domain, a batch task id, an operation).
//!
//! Why SHA-256 and not a std hasher: the generated files, link keys and fault patterns must repeat
//! for a seed across builds and Rust releases, and std's `DefaultHasher` is documented as
//! unspecified and free to change between releases (`SipHasher` is deprecated). Why not seed
//! ChaCha with the text itself: domains and ids are longer than its 32-byte key. SHA-256 is
//! specified, already built for request signing, and its digest is exactly a ChaCha key; it runs
//! once per generator (per file, topic or rule), never per drawn number.

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use sha2::{Digest, Sha256};

/// The generator of `text` under `seed` for one `purpose` (a short fixed label, so two uses of
/// the same text never share numbers). The purpose cannot run into the seed: a NUL ends it.
pub fn generator(seed: u64, purpose: &str, text: &str) -> ChaCha8Rng {
    debug_assert!(!purpose.contains('\0'), "purposes are fixed labels");
    let key = Sha256::new()
        .chain_update(purpose.as_bytes())
        .chain_update([0])
        .chain_update(seed.to_le_bytes())
        .chain_update(text.as_bytes())
        .finalize();
    ChaCha8Rng::from_seed(key.into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::RngCore;

    #[test]
    fn the_same_inputs_give_the_same_numbers_and_any_change_others() {
        let first = |seed, purpose, text| generator(seed, purpose, text).next_u64();
        assert_eq!(first(1, "p", "a"), first(1, "p", "a"));
        assert_ne!(first(1, "p", "a"), first(2, "p", "a"));
        assert_ne!(first(1, "p", "a"), first(1, "q", "a"));
        assert_ne!(first(1, "p", "a"), first(1, "p", "b"));
    }

    #[test]
    fn the_numbers_are_pinned_across_builds() {
        // The first word of ChaCha8 (stream 0) keyed by SHA-256("test\0" ++ 1u64 LE ++ "topic"),
        // computed outside Rust from the two specifications. A change here changes every mock
        // file of every seed: it must be deliberate.
        assert_eq!(generator(1, "test", "topic").next_u64(), 7_171_997_750_607_382_768);
    }
}
