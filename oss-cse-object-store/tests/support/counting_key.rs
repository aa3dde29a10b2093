//! A master key that forwards to the vectors' RSA key pair and counts its
//! unwraps: how many private-key operations a read pays.
#![allow(dead_code)]

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use async_trait::async_trait;
use oss_cse_client::core::ContentMaterial;
use oss_cse_client::envelope::{
    Envelope, Error, Format, MasterKey, MaterialDescription, WrapAlgorithm, WrappedMaterial,
};

#[derive(Debug)]
pub struct CountingKey {
    pub inner: Box<dyn MasterKey>,
    pub unwraps: Arc<AtomicU64>,
}

#[async_trait]
impl MasterKey for CountingKey {
    fn wrap_algorithm(&self) -> WrapAlgorithm {
        self.inner.wrap_algorithm()
    }

    fn material_description(&self) -> Option<&MaterialDescription> {
        self.inner.material_description()
    }

    async fn wrap(&self, material: &ContentMaterial, format: Format) -> Result<WrappedMaterial, Error> {
        self.inner.wrap(material, format).await
    }

    async fn unwrap(&self, envelope: &Envelope) -> Result<ContentMaterial, Error> {
        self.unwraps.fetch_add(1, Ordering::Relaxed);
        self.inner.unwrap(envelope).await
    }
}
