//! `oss-cse keygen`: an RSA key pair, the private half owner-only.

use std::path::Path;

use serde_json::json;

use crate::files;
use crate::session::Session;

pub(crate) fn keygen(session: &Session, out: &Path, bits: usize) -> anyhow::Result<()> {
    let (_, public_pem, private_pem) = oss_cse_client::envelope::RsaMasterKey::generate(bits)?;
    files::create_private_dir(out)?;
    let private = out.join("private.pem");
    let public = out.join("public.pem");
    files::write_private(&private, private_pem.as_bytes())?;
    if let Err(error) = files::write_atomically(&public, public_pem.as_bytes()) {
        // Half a key pair is no use: take the private half back.
        let _ = std::fs::remove_file(&private);
        return Err(error);
    }
    session.print(
        json!({"public_key": public, "private_key": private, "bits": bits}),
        &format!("wrote {} and {} (RSA-{bits})", public.display(), private.display()),
    )
}
