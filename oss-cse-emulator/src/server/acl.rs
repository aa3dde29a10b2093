//! Access control lists (bucket and object, stored and reported; the
//! emulator serves no anonymous requests, so they grant nothing more),
//! storage classes, and GetBucketInfo.

use axum::response::Response;
use quick_xml::escape::escape;

use super::{App, Ctx, bad, status, xml};
use crate::error::OssError;
use crate::store::ObjectRecord;

const BUCKET_ACLS: [&str; 3] = ["private", "public-read", "public-read-write"];
const OBJECT_ACLS: [&str; 4] = ["private", "public-read", "public-read-write", "default"];
/// The storage classes OSS takes in `x-oss-storage-class`.
const STORAGE_CLASSES: [&str; 5] = ["Standard", "IA", "Archive", "ColdArchive", "DeepColdArchive"];

fn invalid_acl() -> OssError {
    bad("InvalidArgument", "no such bucket access control exists")
}

/// The bucket ACL of an `x-oss-acl` header (`private` without one).
pub(super) fn bucket_acl(ctx: &Ctx) -> Result<String, OssError> {
    match ctx.header("x-oss-acl") {
        None => Ok("private".to_owned()),
        Some(acl) if BUCKET_ACLS.contains(&acl) => Ok(acl.to_owned()),
        Some(_) => Err(invalid_acl()),
    }
}

/// The object ACL of an `x-oss-object-acl` header (`default` without one).
pub(super) fn object_acl(ctx: &Ctx) -> Result<String, OssError> {
    match ctx.header("x-oss-object-acl") {
        None => Ok("default".to_owned()),
        Some(acl) if OBJECT_ACLS.contains(&acl) => Ok(acl.to_owned()),
        Some(_) => Err(bad("InvalidArgument", "no such object access control exists")),
    }
}

/// The storage class of an `x-oss-storage-class` header (`Standard`
/// without one).
pub(super) fn storage_class(ctx: &Ctx) -> Result<String, OssError> {
    match ctx.header("x-oss-storage-class") {
        None => Ok("Standard".to_owned()),
        Some(class) => STORAGE_CLASSES
            .iter()
            .find(|c| c.eq_ignore_ascii_case(class))
            .map(|c| (*c).to_owned())
            .ok_or_else(|| bad("InvalidArgument", "Invalid storage class.")),
    }
}

/// Archive classes are read only after a restore, which the emulator does
/// not implement: their data is never served (403 InvalidObjectState).
pub(super) fn check_readable(record: &ObjectRecord) -> Result<(), OssError> {
    if ["Archive", "ColdArchive", "DeepColdArchive"].contains(&record.storage_class.as_str()) {
        return Err(OssError::new(403, "InvalidObjectState", "The operation is not valid for the object's state"));
    }
    Ok(())
}

fn acl_document(owner: &str, acl: &str) -> Response {
    xml(format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<AccessControlPolicy><Owner><ID>{0}</ID><DisplayName>{0}</DisplayName></Owner><AccessControlList><Grant>{acl}</Grant></AccessControlList></AccessControlPolicy>",
        escape(owner)
    ))
}

pub(super) async fn put_bucket_acl(app: &App, ctx: &Ctx) -> Result<Response, OssError> {
    let acl = ctx.header("x-oss-acl").ok_or_else(invalid_acl).and_then(|_| bucket_acl(ctx))?;
    let _guard = app.store.lock.lock().await;
    let mut record = app.store.bucket(ctx.bucket()).await?;
    record.acl = acl;
    app.store.put_bucket_record(&record).await?;
    Ok(status(200))
}

pub(super) async fn get_bucket_acl(app: &App, ctx: &Ctx) -> Result<Response, OssError> {
    let record = app.store.bucket(ctx.bucket()).await?;
    Ok(acl_document(&record.owner, &record.acl))
}

pub(super) async fn put_object_acl(app: &App, ctx: &Ctx) -> Result<Response, OssError> {
    if ctx.header("x-oss-object-acl").is_none() {
        return Err(bad("InvalidArgument", "x-oss-object-acl is missing."));
    }
    let acl = object_acl(ctx)?;
    let _guard = app.store.lock.lock().await;
    app.store.bucket(ctx.bucket()).await?;
    let mut record = app.store.object(ctx.bucket(), ctx.key()).await?;
    record.acl = acl;
    app.store.save_object_record(ctx.bucket(), &record).await?;
    Ok(status(200))
}

pub(super) async fn get_object_acl(app: &App, ctx: &Ctx) -> Result<Response, OssError> {
    let bucket = app.store.bucket(ctx.bucket()).await?;
    let record = app.store.object(ctx.bucket(), ctx.key()).await?;
    Ok(acl_document(&bucket.owner, &record.acl))
}

/// GetBucketInfo: name, dates, endpoints (the address the caller used),
/// owner, ACL and the default encryption rule.
pub(super) async fn get_bucket_info(app: &App, ctx: &Ctx) -> Result<Response, OssError> {
    let record = app.store.bucket(ctx.bucket()).await?;
    let endpoint = ctx.header("host").unwrap_or("127.0.0.1");
    let mut sse =
        String::from("<ServerSideEncryptionRule><SSEAlgorithm>None</SSEAlgorithm></ServerSideEncryptionRule>");
    if let Some(rule) = &record.encryption {
        sse = format!("<ServerSideEncryptionRule><SSEAlgorithm>{}</SSEAlgorithm>", rule.algorithm);
        if let Some(key_id) = &rule.key_id {
            sse.push_str(&format!("<KMSMasterKeyID>{}</KMSMasterKeyID>", escape(key_id.as_str())));
        }
        if let Some(data) = &rule.data_encryption {
            sse.push_str(&format!("<KMSDataEncryption>{data}</KMSDataEncryption>"));
        }
        sse.push_str("</ServerSideEncryptionRule>");
    }
    Ok(xml(format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<BucketInfo><Bucket><AccessMonitor>Disabled</AccessMonitor><CreationDate>{created}</CreationDate><CrossRegionReplication>Disabled</CrossRegionReplication><DataRedundancyType>LRS</DataRedundancyType><ExtranetEndpoint>{endpoint}</ExtranetEndpoint><IntranetEndpoint>{endpoint}</IntranetEndpoint><Location>oss-emulator</Location><Name>{name}</Name><StorageClass>Standard</StorageClass><TransferAcceleration>Disabled</TransferAcceleration><Owner><DisplayName>{owner}</DisplayName><ID>{owner}</ID></Owner><AccessControlList><Grant>{acl}</Grant></AccessControlList>{sse}</Bucket></BucketInfo>",
        created = record.created,
        name = record.name,
        owner = escape(record.owner.as_str()),
        acl = record.acl,
    )))
}
