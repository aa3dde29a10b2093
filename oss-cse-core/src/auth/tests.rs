use proptest::prelude::*;

use super::*;

fn key() -> MacKey {
    MacKey::derive(&DataKey::from_slice(&[7u8; 32]).unwrap())
}

fn iv() -> Iv {
    Iv::from_slice(&[9u8; 16]).unwrap()
}

fn params(iv: &Iv, length: u64) -> TagParams<'_> {
    TagParams { cek_alg: "AES/CTR/NoPadding", iv, length }
}

fn data(len: usize) -> Vec<u8> {
    (0..len).map(|i| (i * 31 % 251) as u8).collect()
}

#[test]
fn every_parameter_and_every_byte_is_bound() {
    let (iv, bytes) = (iv(), data(3 * TAG_CHUNK as usize + 5));
    let tag = tag_of(&key(), &params(&iv, bytes.len() as u64), &bytes).unwrap();
    let mut flipped = bytes.clone();
    flipped[TAG_CHUNK as usize + 3] ^= 1;
    assert_ne!(tag_of(&key(), &params(&iv, bytes.len() as u64), &flipped), Some(tag));
    let truncated = &bytes[..bytes.len() - 1];
    assert_ne!(tag_of(&key(), &params(&iv, truncated.len() as u64), truncated), Some(tag));
    let other_iv = Iv::from_slice(&[8u8; 16]).unwrap();
    assert_ne!(tag_of(&key(), &params(&other_iv, bytes.len() as u64), &bytes), Some(tag));
    let other_key = MacKey::derive(&DataKey::from_slice(&[6u8; 32]).unwrap());
    assert_ne!(tag_of(&other_key, &params(&iv, bytes.len() as u64), &bytes), Some(tag));
    let gcm = TagParams { cek_alg: "AES/GCM/NoPadding", ..params(&iv, bytes.len() as u64) };
    assert_ne!(tag_of(&key(), &gcm, &bytes), Some(tag));
    // The length must be the bytes' length.
    assert_eq!(tag_of(&key(), &params(&iv, bytes.len() as u64 + 1), &bytes), None);
}

#[test]
fn an_empty_object_has_a_tag() {
    let iv = iv();
    let tag = tag_of(&key(), &params(&iv, 0), &[]).unwrap();
    assert_ne!(tag, tag_of(&key(), &params(&iv, 1), &[0]).unwrap());
}

#[test]
fn ranges_must_start_on_a_chunk() {
    assert!(ChunkHasher::at(TAG_CHUNK).is_some());
    assert!(ChunkHasher::at(TAG_CHUNK + 16).is_none());
    let mut builder = TagBuilder::new(TAG_CHUNK);
    assert!(!builder.add((1, vec![[0; 32]])), "a chunk past the end is refused");
    assert_eq!(builder.tag(&key(), &params(&iv(), TAG_CHUNK)), None, "a missing chunk gives no tag");
}

#[test]
fn the_key_is_hkdf_of_the_data_key_and_never_printed() {
    let a = MacKey::derive(&DataKey::from_slice(&[1u8; 32]).unwrap());
    let b = MacKey::derive(&DataKey::from_slice(&[1u8; 32]).unwrap());
    assert_eq!(*a.0, *b.0);
    assert_ne!(*a.0, [1u8; 32]);
    assert_eq!(format!("{a:?}"), "MacKey(..)");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    /// However the bytes are split into pieces and chunk-aligned ranges, hashed
    /// in any order, the tag is the same.
    #[test]
    fn the_tag_does_not_depend_on_how_the_bytes_were_fed(
        len in 0usize..(3 * TAG_CHUNK as usize + 100),
        piece in 1usize..300_000,
        ranges in 1u64..4,
    ) {
        let (iv, bytes) = (iv(), data(len));
        let p = params(&iv, len as u64);
        let whole = tag_of(&key(), &p, &bytes).unwrap();
        let mut builder = TagBuilder::new(len as u64);
        let chunks = chunk_count(len as u64).max(1);
        let per = chunks.div_ceil(ranges) * TAG_CHUNK;
        let mut starts: Vec<u64> = (0..len as u64).step_by(per as usize).collect();
        starts.reverse();
        for start in starts {
            let end = (start + per).min(len as u64) as usize;
            let mut hasher = ChunkHasher::at(start).unwrap();
            for piece in bytes[start as usize..end].chunks(piece) {
                hasher.update(piece);
            }
            prop_assert!(builder.add(hasher.finish()));
        }
        prop_assert_eq!(builder.tag(&key(), &p), Some(whole));
    }
}
