use super::*;

fn dir() -> tempfile::TempDir {
    tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"))
}

fn refused(result: Result<impl std::fmt::Debug>, what: &str) -> String {
    match result {
        Err(Error::NotPrivate { reason, .. }) => reason,
        other => panic!("{what}: expected a refusal, got {other:?}"),
    }
}

#[cfg(unix)]
fn chmod(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt as _;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap_or_else(|e| panic!("{e}"));
}

#[test]
fn a_folder_is_created_owner_only_and_a_shared_or_linked_one_is_refused() {
    let top = dir();
    let folder = top.path().join("a/b");
    assert!(!check_folder(&folder).unwrap_or_else(|e| panic!("{e}")), "missing");
    prepare_checkpoint_folder(&folder).unwrap_or_else(|e| panic!("{e}"));
    assert!(check_folder(&folder).unwrap_or_else(|e| panic!("{e}")));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::metadata(&folder).map(|m| m.permissions().mode()).unwrap_or(0);
        assert_eq!(mode & 0o777, 0o700);
        chmod(&folder, 0o777);
        assert!(refused(check_folder(&folder), "0777").contains("writable by group or others (mode 0777)"));
        chmod(&folder, 0o1777);
        assert!(refused(prepare_checkpoint_folder(&folder), "1777").contains("mode 1777"));
        chmod(&folder, 0o700);
        let link = top.path().join("link");
        std::os::unix::fs::symlink(&folder, &link).unwrap_or_else(|e| panic!("{e}"));
        assert!(refused(check_folder(&link), "a link").contains("symbolic link"));
    }
}

#[cfg(unix)]
#[test]
fn another_users_folder_or_file_is_refused() {
    // Only root can give a file away; elsewhere the owner check is the
    // same comparison, tested here wherever the tests run as root (CI).
    if rustix::process::geteuid().as_raw() != 0 {
        return;
    }
    let top = dir();
    let nobody = rustix::process::Uid::from_raw(65534);
    let folder = top.path().join("theirs");
    std::fs::create_dir(&folder).unwrap_or_else(|e| panic!("{e}"));
    chmod(&folder, 0o700);
    rustix::fs::chown(&folder, Some(nobody), None).unwrap_or_else(|e| panic!("{e}"));
    assert!(refused(check_folder(&folder), "their folder").contains("belongs to user 65534"));
    let file = top.path().join("their.json");
    std::fs::write(&file, b"{}").unwrap_or_else(|e| panic!("{e}"));
    chmod(&file, 0o600);
    rustix::fs::chown(&file, Some(nobody), None).unwrap_or_else(|e| panic!("{e}"));
    assert!(refused(read_private(&file, 100), "their file").contains("belongs to user 65534"));
}

#[cfg(unix)]
#[test]
fn a_private_file_is_read_only_when_it_is_ours_plain_and_small() {
    let top = dir();
    let file = top.path().join("c.json");
    assert!(read_private(&file, 100).unwrap_or_else(|e| panic!("{e}")).is_none(), "missing");
    std::fs::write(&file, b"{\"a\":1}").unwrap_or_else(|e| panic!("{e}"));
    chmod(&file, 0o600);
    assert_eq!(read_private(&file, 100).unwrap_or_else(|e| panic!("{e}")).as_deref(), Some(&b"{\"a\":1}"[..]));
    let too_big = read_private(&file, 3).map(drop).unwrap_err();
    assert!(matches!(&too_big, Error::Io { source, .. } if source.to_string().contains("larger than the 3 bytes")));
    chmod(&file, 0o620);
    assert!(refused(read_private(&file, 100), "group-writable").contains("mode 0620"));
    // A link, even to our own file, and a link to /dev/zero (which would
    // never end) are refused without reading.
    let link = top.path().join("link.json");
    std::os::unix::fs::symlink("/dev/zero", &link).unwrap_or_else(|e| panic!("{e}"));
    assert!(refused(read_private(&link, 100), "link").contains("symbolic link"));
    // A FIFO neither blocks the open nor passes for a file.
    let fifo = top.path().join("fifo");
    rustix::fs::mknodat(rustix::fs::CWD, &fifo, rustix::fs::FileType::Fifo, rustix::fs::Mode::from_raw_mode(0o600), 0)
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(refused(read_private(&fifo, 100), "fifo").contains("not a regular file"));
}

#[test]
fn the_local_key_is_made_once_private_and_exactly_32_bytes() {
    let top = dir();
    let folder = top.path();
    #[cfg(unix)]
    chmod(folder, 0o700);
    assert!(LocalKey::existing(folder).unwrap_or_else(|e| panic!("{e}")).is_none());
    let key = LocalKey::of_folder(folder).unwrap_or_else(|e| panic!("{e}"));
    let again = LocalKey::of_folder(folder).unwrap_or_else(|e| panic!("{e}"));
    let mac = key.mac("test", b"record");
    assert!(again.verify("test", b"record", &mac), "the same key the second time");
    assert!(!again.verify("test", b"recorD", &mac), "another record");
    assert!(!again.verify("other", b"record", &mac), "another domain");
    assert!(!again.verify("test", b"record", "bm90IGEgbWFj"), "a wrong MAC");
    assert!(!format!("{key:?}").contains(&STANDARD.encode(&*key.secret)), "redacted");
    let path = folder.join(KEY_FILE);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        assert_eq!(std::fs::metadata(&path).map(|m| m.permissions().mode() & 0o777).unwrap_or(0), 0o600);
    }
    std::fs::write(&path, [0u8; 31]).unwrap_or_else(|e| panic!("{e}"));
    assert!(refused(LocalKey::existing(folder), "31 bytes").contains("is 31"));
    #[cfg(unix)]
    {
        std::fs::remove_file(&path).unwrap_or_else(|e| panic!("{e}"));
        std::os::unix::fs::symlink("/dev/zero", &path).unwrap_or_else(|e| panic!("{e}"));
        assert!(refused(LocalKey::of_folder(folder), "a link to /dev/zero").contains("symbolic link"));
    }
}
