//! The gateway's cost: a plain client moving 256 MiB through the gateway
//! (which encrypts or decrypts it and talks to the emulator) against the
//! same client moving it straight to the emulator unencrypted, same run,
//! alternating. The gateway runs in this process, so the CPU figures are the
//! client's and the gateway's together.

use bytes::Bytes;
use futures_util::StreamExt;
use oss_cse_client::envelope::{KeyRing, RsaMasterKey};
use oss_cse_client::{Body, ClientConfig, Credentials, EncryptionClient, GetOptions, OssClient};
use oss_cse_gateway::{ClientKey, Gateway, GatewayConfig};

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

pub(crate) async fn gateway_benches(report: &mut Report, quick: bool, server: &Server) -> BoxResult<()> {
    let size: usize = if quick { 64 << 20 } else { 256 << 20 };
    let reps = if quick { 1 } else { 3 };
    let (key, _, _) = RsaMasterKey::generate(2048)?;
    let engine = EncryptionClient::new(server.oss.clone(), KeyRing::new(key));
    let clients = ClientKey::parse_lines("GWBENCH:gateway-bench-secret")?;
    let config = GatewayConfig {
        listen: "127.0.0.1:0".parse()?,
        clients,
        client: engine,
        region: None,
        host_names: Vec::new(),
        idle_timeout: oss_cse_gateway::IDLE_TIMEOUT,
        spool_limit: oss_cse_gateway::SPOOL_LIMIT,
        tls: None,
    };
    let gateway = Gateway::start(config).await?;
    let through =
        OssClient::new(ClientConfig::new(&gateway.endpoint(), Credentials::new("GWBENCH", "gateway-bench-secret"))?)?;
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
    gateway.shutdown().await;
    Ok(())
}
