//! The gateway's cost: a plain client moving 256 MiB through the gateway
//! (which encrypts or decrypts it and talks to the emulator) against the
//! same client moving it straight to the emulator unencrypted, same run,
//! alternating; and the gateway's memory, flat in object size. The gateway
//! runs in a process of its own (this binary's `serve-gateway`), so its
//! peak RSS is its own.

use bytes::Bytes;
use futures_util::StreamExt;
use oss_cse_client::{Body, ClientConfig, Credentials, GetOptions, OssClient};

use crate::servers::ServerProcess;
use crate::wire::measure_pair;
use crate::{BUCKET, BoxResult, Report, Server};

/// Reads a GET's body to the end, counting.
async fn drain(client: &OssClient, key: &str) -> BoxResult<u64> {
    let mut body = client.get_object(BUCKET, key, &GetOptions::default()).await?.body;
    let mut total = 0u64;
    while let Some(chunk) = body.next().await {
        total += chunk?.len() as u64;
    }
    Ok(total)
}

/// `size` bytes of a repeated 1 MiB pattern, streamed (never held whole here).
fn streamed(size: u64) -> Body {
    let chunk = Bytes::from((0..1u32 << 20).map(|i| (i % 251) as u8).collect::<Vec<u8>>());
    let chunks = size.div_ceil(1 << 20);
    let stream = futures_util::stream::iter((0..chunks).map(move |n| {
        let len = (size - n * (1 << 20)).min(1 << 20) as usize;
        Ok::<_, std::io::Error>(chunk.slice(..len))
    }));
    Body::from_stream(size, stream)
}

pub(crate) async fn gateway_benches(report: &mut Report, quick: bool, server: &Server) -> BoxResult<()> {
    let size: usize = if quick { 64 << 20 } else { 256 << 20 };
    let reps = if quick { 1 } else { 3 };
    let gateway = ServerProcess::start(&["serve-gateway", &server.endpoint, &server.id, &server.secret]).await?;
    let endpoint = gateway.line.trim().to_owned();
    let through = OssClient::new(ClientConfig::new(&endpoint, Credentials::new("GWBENCH", "gateway-bench-secret"))?)?;
    let direct = &server.oss;
    let data = Bytes::from((0..size).map(|i| (i % 251) as u8).collect::<Vec<u8>>());
    let (plain, encrypted) = measure_pair(
        reps,
        || async { Ok(direct.put_object(BUCKET, "gw/direct", Body::from(data.clone()), vec![]).await.map(drop)?) },
        || async { Ok(through.put_object(BUCKET, "gw/through", Body::from(data.clone()), vec![]).await.map(drop)?) },
    )
    .await?;
    let mb = |way: &crate::wire::Way| (size * reps) as f64 / way.wall.as_secs_f64() / 1e6;
    let label = |what: &str| format!("{what} {} MiB through the gateway", size >> 20);
    report.add(
        "gateway",
        label("upload"),
        mb(&encrypted),
        "MB/s",
        format!("the same upload straight to the emulator, unencrypted ({:.0} MB/s)", mb(&plain)),
        Some(plain.wall.as_secs_f64() / encrypted.wall.as_secs_f64()),
        Some(">= 0.8"),
    );
    let (plain, encrypted) = measure_pair(
        reps,
        || async { drain(direct, "gw/direct").await.map(drop) },
        || async { drain(&through, "gw/through").await.map(drop) },
    )
    .await?;
    report.add(
        "gateway",
        label("download"),
        mb(&encrypted),
        "MB/s",
        format!("the same download straight from the emulator, unencrypted ({:.0} MB/s)", mb(&plain)),
        Some(plain.wall.as_secs_f64() / encrypted.wall.as_secs_f64()),
        Some(">= 0.8"),
    );

    // The ceiling: the same client through a plain TCP relay (a second hop, no HTTP, no crypto).
    let relay = ServerProcess::start(&["serve-relay", &server.endpoint]).await?;
    let relayed = OssClient::new(ClientConfig::new(
        relay.line.trim(),
        Credentials::new(server.id.as_str(), server.secret.as_str()),
    )?)?;
    let (plain, hop) = measure_pair(
        reps,
        || async { Ok(direct.put_object(BUCKET, "gw/direct", Body::from(data.clone()), vec![]).await.map(drop)?) },
        || async { Ok(relayed.put_object(BUCKET, "gw/relayed", Body::from(data.clone()), vec![]).await.map(drop)?) },
    )
    .await?;
    let (plain_down, hop_down) = measure_pair(
        reps,
        || async { drain(direct, "gw/direct").await.map(drop) },
        || async { drain(&relayed, "gw/relayed").await.map(drop) },
    )
    .await?;
    for (way, plain, hop) in [("upload", &plain, &hop), ("download", &plain_down, &hop_down)] {
        report.add(
            "gateway",
            format!("{way} {} MiB through a plain TCP relay (the ceiling)", size >> 20),
            mb(hop),
            "MB/s",
            format!("the same {way} straight to the emulator ({:.0} MB/s)", mb(plain)),
            Some(plain.wall.as_secs_f64() / hop.wall.as_secs_f64()),
            None,
        );
    }
    drop(relay);

    // Memory: the gateway's peak after the runs above, then after one object four times the size, up and down.
    let before = gateway.peak_rss_kib();
    let large = 4 * size as u64;
    through.put_object(BUCKET, "gw/large", streamed(large), vec![]).await?;
    let drained = drain(&through, "gw/large").await?;
    if drained != large {
        return Err(format!("the large download through the gateway gave {drained} of {large} bytes").into());
    }
    let after = gateway.peak_rss_kib();
    report.add(
        "gateway",
        format!("gateway peak RSS, {} MiB up and down", large >> 20),
        after as f64 / 1024.0,
        "MiB",
        format!("{} MiB after {} MiB up and down", before / 1024, size >> 20),
        Some(after as f64 / before.max(1) as f64),
        Some("ratio ~1 (flat in object size)"),
    );
    Ok(())
}
