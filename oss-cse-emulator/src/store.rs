//! Buckets, objects and multipart uploads persisted in a directory, with
//! atomic writes (data file, then metadata renamed into place) and real
//! encryption at rest for objects under server-side encryption.

use std::path::{Path, PathBuf};

use aws_lc_rs::aead::{AES_256_GCM, Aad, LessSafeKey, Nonce, UnboundKey};
use aws_lc_rs::digest;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use ctr::cipher::{KeyIvInit, StreamCipher, StreamCipherSeek};
use oss_cse_core::{Aes256Ctr, DataKey, Iv};
use serde::{Deserialize, Serialize};

use crate::kms;

/// What goes wrong in the store, in its own terms; the server turns each
/// into OSS's reply in one place (`From<StoreError> for OssError`).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub(crate) enum StoreError {
    /// The bucket does not exist.
    #[error("bucket {0} does not exist")]
    NoSuchBucket(String),
    /// The bucket still holds objects or uploads.
    #[error("bucket {0} is not empty")]
    BucketNotEmpty(String),
    /// The object does not exist.
    #[error("object {key} does not exist in {bucket}")]
    NoSuchKey {
        /// Its bucket.
        bucket: String,
        /// Its key.
        key: String,
    },
    /// The multipart upload does not exist (or is finished).
    #[error("upload {0} does not exist")]
    NoSuchUpload(String),
    /// A file operation, a record that cannot be encoded, or at-rest key
    /// material that cannot be used.
    #[error("{context}: {reason}")]
    Internal {
        /// What was being done.
        context: &'static str,
        /// Why it failed.
        reason: String,
    },
}

/// Server-side encryption of one object, as requested.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Sse {
    /// `AES256`, `SM4` or `KMS`.
    pub algorithm: String,
    /// KMS key id.
    pub key_id: Option<String>,
    /// `SM4` data encryption under KMS.
    pub data_encryption: Option<String>,
}

impl Sse {
    /// Validates a request's SSE headers the way OSS does.
    /// # Errors
    /// Why the request is invalid (OSS answers 400 `InvalidArgument`).
    pub(crate) fn parse(algorithm: &str, key_id: Option<&str>, data: Option<&str>) -> Result<Self, &'static str> {
        let invalid = |message: &'static str| message;
        let algorithm = algorithm.trim().to_ascii_uppercase();
        match algorithm.as_str() {
            "AES256" | "SM4" if key_id.is_some() => return Err(invalid("KMS key id given without KMS encryption")),
            "AES256" | "SM4" | "KMS" => {}
            _ => return Err(invalid("unsupported server-side encryption algorithm")),
        }
        if let Some(d) = data {
            if !d.eq_ignore_ascii_case("SM4") {
                return Err(invalid("unsupported server-side data encryption"));
            }
        }
        // SM4 data encryption means something only under KMS; with AES256 or
        // SM4 OSS ignores it (oss2's own suite, run against OSS, expects the
        // upload to succeed and report no data encryption).
        let data = data.filter(|_| algorithm == "KMS").map(|d| d.to_ascii_uppercase());
        Ok(Self { algorithm, key_id: key_id.map(str::to_owned), data_encryption: data })
    }

    /// Response headers reporting this encryption.
    pub(crate) fn headers(&self) -> Vec<(String, String)> {
        let mut headers = vec![("x-oss-server-side-encryption".to_owned(), self.algorithm.clone())];
        if self.algorithm == "KMS" {
            headers.push((
                "x-oss-server-side-encryption-key-id".to_owned(),
                self.key_id.clone().unwrap_or_else(|| DEFAULT_KMS_KEY.to_owned()),
            ));
            if let Some(d) = &self.data_encryption {
                headers.push(("x-oss-server-side-data-encryption".to_owned(), d.clone()));
            }
        }
        headers
    }

    fn uses_sm4(&self) -> bool {
        self.algorithm == "SM4" || self.data_encryption.as_deref() == Some("SM4")
    }
}

/// The CMK SSE-KMS uses when the request names none.
pub(crate) const DEFAULT_KMS_KEY: &str = "alias/acs/oss";

/// How an object's bytes are encrypted on the emulator's disk.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct AtRest {
    pub sse: Sse,
    /// The data key: wrapped by the emulator's root key, or a KMS blob.
    wrapped_key: String,
    iv: String,
}

/// A cipher over stored bytes (AES-256-CTR or SM4-CTR).
pub(crate) enum AtRestCipher {
    Aes(Box<Aes256Ctr>),
    Sm4(Box<ctr::Ctr128BE<sm4::Sm4>>),
}

impl AtRestCipher {
    pub(crate) fn seek(&mut self, position: u64) {
        match self {
            Self::Aes(c) => c.seek(position),
            Self::Sm4(c) => c.seek(position),
        }
    }

    pub(crate) fn apply(&mut self, data: &mut [u8]) {
        match self {
            Self::Aes(c) => c.apply_keystream(data),
            Self::Sm4(c) => c.apply_keystream(data),
        }
    }
}

/// A stored object.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct ObjectRecord {
    pub key: String,
    pub size: u64,
    pub etag: String,
    pub crc64: u64,
    pub last_modified: String,
    pub content_type: String,
    /// Stored request headers: `x-oss-meta-*` and the standard ones OSS keeps.
    pub headers: Vec<(String, String)>,
    pub at_rest: Option<AtRest>,
    pub multipart: bool,
    data: String,
    /// Object tags (key, value), in the order given.
    #[serde(default)]
    pub tags: Vec<(String, String)>,
    /// Written by AppendObject (and so appendable again).
    #[serde(default)]
    pub appendable: bool,
    /// The object ACL (`default` follows the bucket's).
    #[serde(default = "default_object_acl")]
    pub acl: String,
    #[serde(default = "standard")]
    pub storage_class: String,
}

fn default_object_acl() -> String {
    "default".to_owned()
}

fn standard() -> String {
    "Standard".to_owned()
}

fn private() -> String {
    "private".to_owned()
}

/// A bucket's record.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct BucketRecord {
    pub name: String,
    pub created: String,
    pub encryption: Option<Sse>,
    /// The AccessKey id that created it (empty in records of older versions).
    #[serde(default)]
    pub owner: String,
    #[serde(default = "private")]
    pub acl: String,
}

/// A multipart upload in progress.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct UploadRecord {
    pub upload_id: String,
    pub key: String,
    pub initiated: String,
    pub content_type: String,
    pub headers: Vec<(String, String)>,
    pub sse: Option<Sse>,
    pub parts: Vec<PartRecord>,
    /// Tags, ACL and storage class given at Initiate, for the object.
    #[serde(default)]
    pub tags: Vec<(String, String)>,
    #[serde(default = "default_object_acl")]
    pub acl: String,
    #[serde(default = "standard")]
    pub storage_class: String,
}

/// One uploaded part.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct PartRecord {
    pub number: u32,
    pub etag: String,
    pub size: u64,
    pub crc64: u64,
    pub last_modified: String,
    pub md5: String,
    data: String,
}

/// The on-disk store.
pub(crate) struct Store {
    root: PathBuf,
    root_key: LessSafeKey,
    /// Serializes metadata updates; data streams are written outside it.
    pub lock: tokio::sync::Mutex<()>,
    /// Writes are synced, and ETags are MD5s; off in
    /// [benchmark mode](crate::EmulatorConfig::benchmark).
    pub durable: bool,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store").field("root", &self.root).finish_non_exhaustive()
    }
}

fn hash_name(text: &str) -> String {
    hex::encode(&digest::digest(&digest::SHA256, text.as_bytes()).as_ref()[..20])
}

pub(crate) fn now_http() -> String {
    jiff::Timestamp::now().strftime("%a, %d %b %Y %H:%M:%S GMT").to_string()
}

pub(crate) fn now_iso() -> String {
    jiff::Timestamp::now().strftime("%Y-%m-%dT%H:%M:%S.000Z").to_string()
}

fn internal(context: &'static str, error: impl std::fmt::Display) -> StoreError {
    StoreError::Internal { context, reason: error.to_string() }
}

/// Writes `bytes` to `path` atomically (temp file in the same directory, then rename).
async fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), StoreError> {
    let tmp = path.with_extension(format!("tmp-{:016x}", rand::random::<u64>()));
    let written = match tokio::fs::write(&tmp, bytes).await {
        Ok(()) => tokio::fs::rename(&tmp, path).await.map_err(|e| internal("rename", e)),
        Err(e) => Err(internal("write", e)),
    };
    if written.is_err() {
        let _ = tokio::fs::remove_file(&tmp).await;
    }
    written
}

async fn read_json<T: for<'de> Deserialize<'de>>(path: &Path) -> Option<T> {
    let bytes = tokio::fs::read(path).await.ok()?;
    serde_json::from_slice(&bytes).ok()
}

impl Store {
    pub(crate) async fn open(root: &Path) -> std::io::Result<Self> {
        tokio::fs::create_dir_all(root.join("buckets")).await?;
        let key_path = root.join("root.key");
        // The root key decrypts every object stored with SSE: owner-only.
        let key = match tokio::fs::read(&key_path).await {
            Ok(key) if key.len() == 32 => key,
            _ => {
                let key: [u8; 32] = rand::random();
                let _ = tokio::fs::remove_file(&key_path).await;
                let mut options = tokio::fs::OpenOptions::new();
                options.write(true).create_new(true);
                #[cfg(unix)]
                options.mode(0o600);
                let mut file = options.open(&key_path).await?;
                tokio::io::AsyncWriteExt::write_all(&mut file, &key).await?;
                tokio::io::AsyncWriteExt::flush(&mut file).await?;
                file.sync_all().await?;
                key.to_vec()
            }
        };
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            tokio::fs::set_permissions(&key_path, std::fs::Permissions::from_mode(0o600)).await?;
        }
        let root_key = LessSafeKey::new(
            UnboundKey::new(&AES_256_GCM, &key).map_err(|_| std::io::Error::other("bad emulator root key"))?,
        );
        Ok(Self { root: root.to_owned(), root_key, lock: tokio::sync::Mutex::new(()), durable: true })
    }

    fn bucket_dir(&self, bucket: &str) -> PathBuf {
        self.root.join("buckets").join(bucket)
    }

    fn object_meta_path(&self, bucket: &str, key: &str) -> PathBuf {
        self.bucket_dir(bucket).join("objects").join(format!("{}.json", hash_name(key)))
    }

    fn upload_dir(&self, bucket: &str, upload_id: &str) -> PathBuf {
        self.bucket_dir(bucket).join("uploads").join(hash_name(upload_id))
    }

    /// A fresh file name for data in the bucket's data directory.
    pub(crate) async fn new_data_path(&self, bucket: &str) -> Result<PathBuf, StoreError> {
        let dir = self.bucket_dir(bucket).join("data");
        tokio::fs::create_dir_all(&dir).await.map_err(|e| internal("mkdir", e))?;
        Ok(dir.join(format!("{:032x}.data", rand::random::<u128>())))
    }

    pub(crate) fn data_path(&self, bucket: &str, name: &str) -> PathBuf {
        self.bucket_dir(bucket).join("data").join(name)
    }

    pub(crate) async fn bucket(&self, bucket: &str) -> Result<BucketRecord, StoreError> {
        read_json(&self.bucket_dir(bucket).join("bucket.json"))
            .await
            .ok_or_else(|| StoreError::NoSuchBucket(bucket.to_owned()))
    }

    pub(crate) async fn put_bucket_record(&self, record: &BucketRecord) -> Result<(), StoreError> {
        let dir = self.bucket_dir(&record.name);
        for sub in ["objects", "data", "uploads"] {
            tokio::fs::create_dir_all(dir.join(sub)).await.map_err(|e| internal("mkdir", e))?;
        }
        let json = serde_json::to_vec(record).map_err(|e| internal("json", e))?;
        write_atomic(&dir.join("bucket.json"), &json).await
    }

    pub(crate) async fn delete_bucket(&self, bucket: &str) -> Result<(), StoreError> {
        self.bucket(bucket).await?;
        if !self.list_objects(bucket).await?.is_empty() || !self.list_uploads(bucket).await?.is_empty() {
            return Err(StoreError::BucketNotEmpty(bucket.to_owned()));
        }
        tokio::fs::remove_dir_all(self.bucket_dir(bucket)).await.map_err(|e| internal("rmdir", e))
    }

    pub(crate) async fn list_buckets(&self) -> Result<Vec<BucketRecord>, StoreError> {
        let mut out = Vec::new();
        let mut entries = tokio::fs::read_dir(self.root.join("buckets")).await.map_err(|e| internal("readdir", e))?;
        while let Ok(Some(entry)) = entries.next_entry().await {
            if let Some(record) = read_json::<BucketRecord>(&entry.path().join("bucket.json")).await {
                out.push(record);
            }
        }
        out.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(out)
    }

    pub(crate) async fn object(&self, bucket: &str, key: &str) -> Result<ObjectRecord, StoreError> {
        self.bucket(bucket).await?;
        read_json(&self.object_meta_path(bucket, key))
            .await
            .ok_or_else(|| StoreError::NoSuchKey { bucket: bucket.to_owned(), key: key.to_owned() })
    }

    /// Rewrites an existing object's record (its metadata, e.g. tags) without
    /// touching its data. The caller holds the store lock.
    pub(crate) async fn save_object_record(&self, bucket: &str, record: &ObjectRecord) -> Result<(), StoreError> {
        let json = serde_json::to_vec(record).map_err(|e| internal("json", e))?;
        write_atomic(&self.object_meta_path(bucket, &record.key), &json).await
    }

    /// Makes `record` (whose data is at `data_path`) the current version of its key.
    pub(crate) async fn commit_object(
        &self,
        bucket: &str,
        mut record: ObjectRecord,
        data_path: &Path,
    ) -> Result<(), StoreError> {
        record.data = data_path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let meta_path = self.object_meta_path(bucket, &record.key);
        let old: Option<ObjectRecord> = read_json(&meta_path).await;
        let json = serde_json::to_vec(&record).map_err(|e| internal("json", e))?;
        write_atomic(&meta_path, &json).await?;
        if let Some(old) = old.filter(|o| o.data != record.data) {
            let _ = tokio::fs::remove_file(self.data_path(bucket, &old.data)).await;
        }
        Ok(())
    }

    pub(crate) async fn delete_object(&self, bucket: &str, key: &str) -> Result<(), StoreError> {
        self.bucket(bucket).await?;
        let meta_path = self.object_meta_path(bucket, key);
        if let Some(old) = read_json::<ObjectRecord>(&meta_path).await {
            let _ = tokio::fs::remove_file(&meta_path).await;
            let _ = tokio::fs::remove_file(self.data_path(bucket, &old.data)).await;
        }
        Ok(())
    }

    pub(crate) async fn list_objects(&self, bucket: &str) -> Result<Vec<ObjectRecord>, StoreError> {
        self.bucket(bucket).await?;
        let mut out = Vec::new();
        let dir = self.bucket_dir(bucket).join("objects");
        let mut entries = tokio::fs::read_dir(&dir).await.map_err(|e| internal("readdir", e))?;
        while let Ok(Some(entry)) = entries.next_entry().await {
            if entry.path().extension().is_some_and(|e| e == "json") {
                if let Some(record) = read_json::<ObjectRecord>(&entry.path()).await {
                    out.push(record);
                }
            }
        }
        out.sort_by(|a, b| a.key.cmp(&b.key));
        Ok(out)
    }

    pub(crate) fn object_data(&self, bucket: &str, record: &ObjectRecord) -> PathBuf {
        self.data_path(bucket, &record.data)
    }

    pub(crate) async fn save_upload(&self, bucket: &str, upload: &UploadRecord) -> Result<(), StoreError> {
        let dir = self.upload_dir(bucket, &upload.upload_id);
        tokio::fs::create_dir_all(&dir).await.map_err(|e| internal("mkdir", e))?;
        let json = serde_json::to_vec(upload).map_err(|e| internal("json", e))?;
        write_atomic(&dir.join("upload.json"), &json).await
    }

    pub(crate) async fn upload(&self, bucket: &str, upload_id: &str) -> Result<UploadRecord, StoreError> {
        self.bucket(bucket).await?;
        read_json(&self.upload_dir(bucket, upload_id).join("upload.json"))
            .await
            .ok_or_else(|| StoreError::NoSuchUpload(upload_id.to_owned()))
    }

    pub(crate) async fn list_uploads(&self, bucket: &str) -> Result<Vec<UploadRecord>, StoreError> {
        let mut out = Vec::new();
        let dir = self.bucket_dir(bucket).join("uploads");
        let Ok(mut entries) = tokio::fs::read_dir(&dir).await else { return Ok(out) };
        while let Ok(Some(entry)) = entries.next_entry().await {
            if let Some(record) = read_json::<UploadRecord>(&entry.path().join("upload.json")).await {
                out.push(record);
            }
        }
        out.sort_by(|a, b| (&a.key, &a.upload_id).cmp(&(&b.key, &b.upload_id)));
        Ok(out)
    }

    /// Records part `part` (data already at `data_path`) in its upload.
    pub(crate) async fn put_part(
        &self,
        bucket: &str,
        upload_id: &str,
        mut part: PartRecord,
        data_path: &Path,
    ) -> Result<(), StoreError> {
        let mut upload = self.upload(bucket, upload_id).await?;
        part.data = data_path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        if let Some(old) = upload.parts.iter().position(|p| p.number == part.number) {
            let old = upload.parts.remove(old);
            let _ = tokio::fs::remove_file(self.data_path(bucket, &old.data)).await;
        }
        upload.parts.push(part);
        upload.parts.sort_by_key(|p| p.number);
        self.save_upload(bucket, &upload).await
    }

    pub(crate) fn part_data(&self, bucket: &str, part: &PartRecord) -> PathBuf {
        self.data_path(bucket, &part.data)
    }

    /// Forgets an upload and its part files (after complete or abort).
    pub(crate) async fn remove_upload(&self, bucket: &str, upload: &UploadRecord, keep_data: bool) {
        // The record goes first: if we stop half-way, what is left is
        // unreferenced part data, never an upload whose parts are missing.
        let _ = tokio::fs::remove_dir_all(self.upload_dir(bucket, &upload.upload_id)).await;
        if !keep_data {
            for part in &upload.parts {
                let _ = tokio::fs::remove_file(self.data_path(bucket, &part.data)).await;
            }
        }
    }

    /// New at-rest material for `sse`.
    pub(crate) fn new_at_rest(&self, sse: &Sse) -> Result<AtRest, StoreError> {
        let key_len = if sse.uses_sm4() { 16 } else { 32 };
        let key: Vec<u8> = (0..key_len).map(|_| rand::random::<u8>()).collect();
        let iv: [u8; 16] = rand::random();
        let wrapped_key = if sse.algorithm == "KMS" {
            let key_id = sse.key_id.as_deref().unwrap_or(DEFAULT_KMS_KEY);
            kms::seal(key_id, STANDARD.encode(&key).as_bytes()).map_err(|e| internal("kms", format!("{e:?}")))?
        } else {
            let nonce: [u8; 12] = rand::random();
            let mut sealed = key.clone();
            self.root_key
                .seal_in_place_append_tag(Nonce::assume_unique_for_key(nonce), Aad::empty(), &mut sealed)
                .map_err(|_| internal("seal", "AES-GCM"))?;
            STANDARD.encode([nonce.as_slice(), &sealed].concat())
        };
        Ok(AtRest { sse: sse.clone(), wrapped_key, iv: STANDARD.encode(iv) })
    }

    /// The cipher for stored bytes of an object encrypted at rest.
    pub(crate) fn at_rest_cipher(&self, at_rest: &AtRest) -> Result<AtRestCipher, StoreError> {
        let fail = || internal("at-rest key", "unreadable");
        let key = if at_rest.sse.algorithm == "KMS" {
            let (_, text) = kms::open(&at_rest.wrapped_key).map_err(|_| fail())?;
            STANDARD.decode(text).map_err(|_| fail())?
        } else {
            let raw = STANDARD.decode(&at_rest.wrapped_key).map_err(|_| fail())?;
            if raw.len() < 12 {
                return Err(fail());
            }
            let mut nonce = [0u8; 12];
            nonce.copy_from_slice(&raw[..12]);
            let mut sealed = raw[12..].to_vec();
            self.root_key
                .open_in_place(Nonce::assume_unique_for_key(nonce), Aad::empty(), &mut sealed)
                .map_err(|_| fail())?
                .to_vec()
        };
        let iv = STANDARD.decode(&at_rest.iv).map_err(|_| fail())?;
        if at_rest.sse.uses_sm4() {
            let cipher = ctr::Ctr128BE::<sm4::Sm4>::new_from_slices(&key, &iv).map_err(|_| fail())?;
            Ok(AtRestCipher::Sm4(Box::new(cipher)))
        } else {
            let key = DataKey::from_slice(&key).map_err(|_| fail())?;
            let iv = Iv::from_slice(&iv).map_err(|_| fail())?;
            Ok(AtRestCipher::Aes(Box::new(Aes256Ctr::new(&key, &iv))))
        }
    }
}

impl ObjectRecord {
    pub(crate) fn new(
        key: &str,
        size: u64,
        etag: String,
        crc64: u64,
        content_type: String,
        headers: Vec<(String, String)>,
        at_rest: Option<AtRest>,
    ) -> Self {
        Self {
            key: key.to_owned(),
            size,
            etag,
            crc64,
            last_modified: now_http(),
            content_type,
            headers,
            at_rest,
            multipart: false,
            data: String::new(),
            tags: Vec::new(),
            appendable: false,
            acl: default_object_acl(),
            storage_class: standard(),
        }
    }
}

impl PartRecord {
    pub(crate) fn new(number: u32, size: u64, md5: [u8; 16], crc64: u64) -> Self {
        Self {
            number,
            etag: hex::encode_upper(md5),
            size,
            crc64,
            last_modified: now_iso(),
            md5: hex::encode(md5),
            data: String::new(),
        }
    }
}
