use proptest::prelude::*;

use super::*;

fn cipher(key: [u8; 32], iv: [u8; 16]) -> Aes256Ctr {
    Aes256Ctr::new(&DataKey::from_slice(&key).unwrap(), &Iv::from_slice(&iv).unwrap())
}

fn encrypt_whole(key: [u8; 32], iv: [u8; 16], data: &[u8]) -> Vec<u8> {
    let mut out = data.to_vec();
    cipher(key, iv).apply_keystream(&mut out);
    out
}

/// NIST SP 800-38A, F.5.5 CTR-AES256.Encrypt.
#[test]
fn nist_sp800_38a_ctr_aes256() {
    let key: [u8; 32] =
        hex::decode("603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4").unwrap().try_into().unwrap();
    let iv: [u8; 16] = hex::decode("f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff").unwrap().try_into().unwrap();
    let plaintext = hex::decode(concat!(
        "6bc1bee22e409f96e93d7e117393172a",
        "ae2d8a571e03ac9c9eb76fac45af8e51",
        "30c81c46a35ce411e5fbc1191a0a52ef",
        "f69f2445df4f9b17ad2b417be66c3710"
    ))
    .unwrap();
    let expected = hex::decode(concat!(
        "601ec313775789a5b7a7f504bbf3d228",
        "f443e3ca4d62b59aca84e990cacaf5c5",
        "2b0930daa23de94ce87017ba2d84988d",
        "dfc9c58db67aada613c2dd08457941a6"
    ))
    .unwrap();
    assert_eq!(encrypt_whole(key, iv, &plaintext), expected);
}

/// Every chunk size from 1 to 256 gives the same output as one call, as
/// RustCrypto's `cipher::dev::stream` checks for its ciphers.
#[test]
fn every_chunk_size_matches_one_shot() {
    let key = [0x42; 32];
    let iv = [0x17; 16];
    let data: Vec<u8> = (0..1031u32).map(|i| (i % 251) as u8).collect();
    let expected = encrypt_whole(key, iv, &data);
    for chunk in 1..=256 {
        let mut out = data.clone();
        let mut c = cipher(key, iv);
        for piece in out.chunks_mut(chunk) {
            c.apply_keystream(piece);
        }
        assert_eq!(out, expected, "chunk size {chunk}");
        assert_eq!(c.current_pos(), data.len() as u64);
    }
}

#[test]
fn counter_wraps_at_2_pow_128() {
    let key = [1; 32];
    let all_ones = [0xFF; 16];
    let whole = encrypt_whole(key, all_ones, &[0; 48]);
    let first = encrypt_whole(key, all_ones, &[0; 16]);
    let after_wrap = encrypt_whole(key, [0; 16], &[0; 32]);
    assert_eq!(&whole[..16], &first[..]);
    assert_eq!(&whole[16..], &after_wrap[..]);
}

#[test]
fn carry_crosses_the_low_32_and_64_bits() {
    // The hardware path counts in 32-bit lanes; the carry must still reach
    // the upper bytes like a plain 128-bit addition.
    let key = [3; 32];
    for iv_hex in ["0000000000000000fffffffffffffffe", "00000000000000000000000ffffffffe"] {
        let iv: [u8; 16] = hex::decode(iv_hex).unwrap().try_into().unwrap();
        let whole = encrypt_whole(key, iv, &[0; 64]);
        for block in 0..4u64 {
            let start = counter_block_at(&iv, block);
            let single = encrypt_whole(key, start, &[0; 16]);
            assert_eq!(&whole[block as usize * 16..][..16], &single[..], "{iv_hex} block {block}");
        }
    }
}

#[test]
fn b2b_checks_lengths_and_matches_in_place() {
    let mut c = cipher([5; 32], [6; 16]);
    let mut out = [0u8; 3];
    assert_eq!(
        c.try_apply_keystream_b2b(&[1, 2], &mut out).unwrap_err(),
        Error::BufferLengthMismatch { input: 2, output: 3 }
    );
    assert_eq!(c.current_pos(), 0);
    let input = [9u8; 40];
    let mut out = [0u8; 40];
    c.apply_keystream_b2b(&input, &mut out);
    assert_eq!(out.to_vec(), encrypt_whole([5; 32], [6; 16], &input));
}

#[test]
fn position_overflow_is_an_error_not_a_panic() {
    let mut c = cipher([5; 32], [6; 16]);
    c.seek(u64::MAX - 1);
    let mut buf = [0u8; 4];
    assert!(matches!(c.try_apply_keystream(&mut buf), Err(Error::PositionOverflow { .. })));
    assert_eq!(buf, [0; 4], "buffer untouched on error");
    let mut one = [0u8; 1];
    c.try_apply_keystream(&mut one).unwrap();
    assert_eq!(c.current_pos(), u64::MAX);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Encrypting in random chunkings equals encrypting at once.
    #[test]
    fn random_chunking_equals_one_shot(
        key in any::<[u8; 32]>(),
        iv in any::<[u8; 16]>(),
        data in proptest::collection::vec(any::<u8>(), 0..2048),
        cuts in proptest::collection::vec(0usize..2048, 0..16),
    ) {
        let expected = encrypt_whole(key, iv, &data);
        let mut cuts: Vec<usize> = cuts.into_iter().filter(|c| *c <= data.len()).collect();
        cuts.push(0);
        cuts.push(data.len());
        cuts.sort_unstable();
        let mut out = data.clone();
        let mut c = cipher(key, iv);
        for pair in cuts.windows(2) {
            c.apply_keystream(&mut out[pair[0]..pair[1]]);
        }
        prop_assert_eq!(out, expected);
    }

    /// Decrypting any sub-range from its offset equals the same slice of the whole.
    #[test]
    fn seek_to_any_offset_matches_slice(
        key in any::<[u8; 32]>(),
        iv in any::<[u8; 16]>(),
        data in proptest::collection::vec(any::<u8>(), 1..2048),
        a in any::<prop::sample::Index>(),
        b in any::<prop::sample::Index>(),
    ) {
        let ciphertext = encrypt_whole(key, iv, &data);
        let (mut start, mut end) = (a.index(data.len() + 1), b.index(data.len() + 1));
        if start > end { std::mem::swap(&mut start, &mut end); }
        let mut piece = ciphertext[start..end].to_vec();
        let mut c = cipher(key, iv);
        c.seek(start as u64);
        c.apply_keystream(&mut piece);
        prop_assert_eq!(&piece[..], &data[start..end]);
    }
}
