//! `ls`: the buckets (`oss://`), one level of a prefix as directories and
//! objects (`-r`: everything under it), unfinished multipart uploads
//! (`--multipart`); `-l` adds what the listing says (storage class, type,
//! ETag; sizes are the plaintext's too, under CTR) under named columns,
//! `--envelope` each object's client-side encryption (a HEAD per object,
//! several at once), `-h` readable sizes. Pages are printed as they arrive,
//! so memory stays at one page however large the bucket.

use std::io::Write;

use futures_util::StreamExt;
use oss_cse_client::OssClient;
use oss_cse_client::envelope::MaterialDescription;
use oss_cse_client::types::ObjectSummary;
use serde_json::{Value, json};

use crate::session::Session;
use crate::target::{Location, parse_location};

/// Options of `ls`.
#[derive(clap::Args, Debug)]
#[command(disable_help_flag = true)]
pub(crate) struct LsArgs {
    /// oss:// (the buckets), oss://bucket or oss://bucket/prefix.
    url: String,
    /// Everything under the prefix, not only its first level.
    #[arg(short, long)]
    recursive: bool,
    /// Named columns, with each object's storage class, type and ETag (all
    /// from the listing: no request per object).
    #[arg(short, long)]
    long: bool,
    /// Also whether each object is client-side encrypted, with which wrap
    /// algorithm and matdesc: one HEAD per object, --jobs at a time.
    #[arg(long)]
    envelope: bool,
    /// Sizes in KiB, MiB, GiB.
    #[arg(short = 'h', long)]
    human: bool,
    /// Unfinished multipart uploads under the prefix instead of objects.
    #[arg(long)]
    multipart: bool,
    /// HEAD requests in flight with --envelope.
    #[arg(long, value_name = "N", default_value_t = 16)]
    jobs: usize,
    /// Print help.
    #[arg(long, action = clap::ArgAction::Help)]
    help: Option<bool>,
    #[command(flatten)]
    pub(crate) connection: crate::opts::ConnectionArgs,
}

/// Writes one JSON array, element by element, or lines of text.
struct Printer {
    out: crate::exit::Stdout,
    json: bool,
    first: bool,
}

impl Printer {
    fn new(json: bool) -> std::io::Result<Self> {
        let mut out = crate::exit::stdout();
        if json {
            write!(out, "[")?;
        }
        Ok(Printer { out, json, first: true })
    }

    fn item(&mut self, value: Value, text: &str) -> std::io::Result<()> {
        if self.json {
            write!(self.out, "{}\n  {value}", if self.first { "" } else { "," })?;
        } else {
            writeln!(self.out, "{}", crate::exit::shown(text))?;
        }
        self.first = false;
        Ok(())
    }

    fn end(mut self) -> std::io::Result<()> {
        if self.json {
            writeln!(self.out, "{}]", if self.first { "" } else { "\n" })?;
        }
        Ok(())
    }
}

pub(crate) async fn ls(session: &Session, client: OssClient, args: &LsArgs) -> anyhow::Result<()> {
    if args.url == "oss://" {
        return buckets(session, client).await;
    }
    let (bucket, prefix) = match parse_location(&args.url)? {
        Location::Oss { bucket, key } => (bucket, key),
        _ => anyhow::bail!("{:?} is not an oss:// URL", args.url),
    };
    let size = |n: u64| if args.human { indicatif::HumanBytes(n).to_string() } else { n.to_string() };
    let mut printer = Printer::new(session.json)?;
    if args.multipart {
        for upload in client.list_multipart_uploads(&bucket, &prefix).await? {
            let value = json!({"key": upload.key, "upload_id": upload.upload_id, "initiated": upload.initiated});
            printer
                .item(value, &format!("{}  {}  oss://{bucket}/{}", upload.initiated, upload.upload_id, upload.key))?;
        }
        return Ok(printer.end()?);
    }
    let delimiter = (!args.recursive).then_some("/");
    let long = args.long || args.envelope;
    if long && !session.json {
        let mut header =
            format!("{:>12}  {:24}  {:10}  {:10}  {:34}  OBJECT", "SIZE", "LAST-MODIFIED", "CLASS", "TYPE", "ETAG");
        if args.envelope {
            header.push_str("  ENCRYPTION");
        }
        printer.item(Value::Null, &header)?;
    }
    let mut token: Option<String> = None;
    loop {
        let page = client.list_objects_v2(&bucket, &prefix, delimiter, token.as_deref(), Some(1000)).await?;
        for dir in &page.common_prefixes {
            printer.item(json!({"prefix": dir}), &format!("{:>12}  {:24}  oss://{bucket}/{dir}", "PRE", ""))?;
        }
        let described = futures_util::stream::iter(page.objects.iter())
            .map(|o| describe(&client, &bucket, o, args.envelope))
            .buffered(args.jobs.max(1))
            .collect::<Vec<_>>()
            .await;
        for (o, encryption) in page.objects.iter().zip(described) {
            let encryption = encryption?;
            let mut value = json!({"key": o.key, "size": o.size, "etag": o.etag, "last_modified": o.last_modified,
                "storage_class": o.storage_class, "type": o.object_type});
            let mut text = format!("{:>12}  {:24}  ", size(o.size), o.last_modified);
            if long {
                let (class, kind) =
                    (o.storage_class.as_deref().unwrap_or("-"), o.object_type.as_deref().unwrap_or("-"));
                text.push_str(&format!("{class:10}  {kind:10}  {:34}  ", o.etag));
            }
            text.push_str(&format!("oss://{bucket}/{}", o.key));
            if args.envelope {
                value["client_side_encryption"] = encryption.0;
                text.push_str("  ");
                text.push_str(&encryption.1);
            }
            printer.item(value, &text)?;
        }
        match page.next_continuation_token {
            // A token that repeats would list the same page forever.
            Some(next) if Some(&next) != token.as_ref() => token = Some(next),
            _ => break,
        }
    }
    Ok(printer.end()?)
}

/// With `--envelope`: an object's client-side encryption, as JSON and as text.
async fn describe(
    client: &OssClient,
    bucket: &str,
    object: &ObjectSummary,
    long: bool,
) -> anyhow::Result<(Value, String)> {
    if !long {
        return Ok((Value::Null, String::new()));
    }
    let meta = client.head_object(bucket, &object.key).await?;
    Ok(match meta.envelope() {
        Ok(Some(envelope)) => {
            let matdesc = MaterialDescription::describe(envelope.material_description.as_ref());
            let algorithm = envelope.wrapped.algorithm.to_string();
            (
                json!({"format": envelope.format.to_string(), "wrap_algorithm": algorithm, "matdesc": matdesc}),
                format!("CSE {} {algorithm} {matdesc}", envelope.format),
            )
        }
        Ok(None) => (Value::Null, "-".to_owned()),
        Err(error) => (json!({"error": error.to_string()}), format!("CSE (malformed: {error})")),
    })
}

async fn buckets(session: &Session, client: OssClient) -> anyhow::Result<()> {
    let mut printer = Printer::new(session.json)?;
    for bucket in client.list_buckets().await? {
        let value = json!({"bucket": bucket.name, "creation_date": bucket.creation_date});
        printer.item(value, &format!("{:24}  oss://{}", bucket.creation_date, bucket.name))?;
    }
    Ok(printer.end()?)
}
