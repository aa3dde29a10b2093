use super::*;

/// A deterministic stand-in for a CSPRNG; only the shape of the output matters here.
struct CountingRng(u8);

impl rand_core::TryRng for CountingRng {
    type Error = core::convert::Infallible;
    fn try_next_u32(&mut self) -> Result<u32, Self::Error> {
        let mut b = [0; 4];
        self.try_fill_bytes(&mut b)?;
        Ok(u32::from_le_bytes(b))
    }
    fn try_next_u64(&mut self) -> Result<u64, Self::Error> {
        let mut b = [0; 8];
        self.try_fill_bytes(&mut b)?;
        Ok(u64::from_le_bytes(b))
    }
    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Self::Error> {
        for byte in dst {
            self.0 = self.0.wrapping_add(1);
            *byte = self.0 | 0x80;
        }
        Ok(())
    }
}
impl rand_core::TryCryptoRng for CountingRng {}

#[test]
fn generated_iv_has_zero_bytes_8_to_12() {
    let mut rng = CountingRng(0);
    for _ in 0..10 {
        let iv = Iv::generate(&mut rng);
        let bytes = iv.expose_secret();
        assert_eq!(&bytes[8..12], &[0, 0, 0, 0]);
        assert!(bytes[..8].iter().chain(&bytes[12..]).all(|b| *b != 0));
    }
}

#[test]
fn debug_never_prints_key_bytes() {
    let key = DataKey::from_slice(&[0xAB; 32]).unwrap();
    let iv = Iv::from_slice(&[0xCD; 16]).unwrap();
    let separately = format!("{key:?} {iv:?}");
    let rendered = format!("{separately} {:?}", ContentMaterial::new(key, iv));
    assert!(!rendered.to_lowercase().contains("ab"), "{rendered}");
    assert!(!rendered.contains("171"), "{rendered}");
    assert!(rendered.contains("redacted"));
}

#[test]
fn lengths_are_checked() {
    assert_eq!(
        DataKey::from_slice(&[0; 31]).unwrap_err(),
        Error::InvalidLength { what: "data key", expected: 32, actual: 31 }
    );
    assert!(Iv::from_slice(&[0; 17]).is_err());
    assert!(Iv::from_slice(&[]).is_err());
}

#[test]
fn v1_counter_text_round_trips() {
    assert_eq!(Iv::from_v1_counter_text(b"7").unwrap().counter(), 7);
    let max = u128::MAX.to_string();
    assert_eq!(Iv::from_v1_counter_text(max.as_bytes()).unwrap().counter(), u128::MAX);
    assert_eq!(*Iv::from_counter(12345).to_v1_counter_text(), "12345");
    for bad in [&b""[..], b"-1", b"1.0", b" 1", b"abc", b"340282366920938463463374607431768211456"] {
        assert_eq!(Iv::from_v1_counter_text(bad).unwrap_err(), Error::InvalidCounterText, "{bad:?}");
    }
}

/// Compiles only while the key types wipe themselves on drop: removing the
/// derive (or wrapping the bytes in a type without it) breaks the build.
#[test]
fn key_types_are_zeroized_on_drop() {
    fn wiped_on_drop<T: ZeroizeOnDrop>() {}
    wiped_on_drop::<DataKey>();
    wiped_on_drop::<Iv>();
    let mut key = DataKey::from_slice(&[0xA5; 32]).unwrap();
    key.zeroize();
    assert_eq!(key.expose_secret(), &[0u8; 32]);
}
