//! Runs the emulator in the foreground: `cargo run -p oss-cse-emulator
//! --example serve -- DATA_DIR [PORT]`. Prints the endpoint and credentials.

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let mut args = std::env::args().skip(1);
    let dir =
        args.next().map(std::path::PathBuf::from).unwrap_or_else(|| std::env::temp_dir().join("oss-cse-emulator"));
    let port: u16 = args.next().and_then(|p| p.parse().ok()).unwrap_or(0);
    let config = oss_cse_emulator::EmulatorConfig::new(&dir)
        .listen(std::net::SocketAddr::from(([127, 0, 0, 1], port)))
        .credentials(vec![("emulator-ak".into(), "emulator-sk".into())]);
    let emulator = oss_cse_emulator::Emulator::start(config).await?;
    println!(
        "endpoint {} access-key-id {} access-key-secret {}",
        emulator.endpoint(),
        emulator.access_key_id(),
        emulator.access_key_secret()
    );
    tokio::signal::ctrl_c().await?;
    emulator.shutdown().await;
    Ok(())
}
