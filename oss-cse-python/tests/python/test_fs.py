"""oss_cse.fs.OssCseFileSystem through fsspec: what it writes oss2's CryptoBucket reads, ranged reads, listings."""

import fsspec
import pytest

from conftest import BUCKET, ENDPOINT, KEY_ID, SECRET, key_file
from oss_cse.fs import OssCseFileSystem

SETTINGS = dict(endpoint=ENDPOINT, access_key_id=KEY_ID, access_key_secret=SECRET,
                rsa_public_key=key_file("key1", "public"), rsa_private_key=key_file("key1", "private"))


@pytest.fixture
def fs():
    fsspec.register_implementation("osscse", OssCseFileSystem, clobber=True)
    return fsspec.filesystem("osscse", skip_instance_cache=True, **SETTINGS)


def test_write_read_list_copy_remove(fs, crypto_bucket):
    payload = bytes(range(256)) * 4000
    with fsspec.open(f"osscse://{BUCKET}/fs/dir/table.bin", "wb", **SETTINGS) as f:
        f.write(payload[:500_000])
        f.write(payload[500_000:])
    assert crypto_bucket.get_object("fs/dir/table.bin").read() == payload
    with fs.open(f"{BUCKET}/fs/dir/table.bin", "rb") as f:
        f.seek(700_000)
        assert f.read(1000) == payload[700_000:701_000]
    assert fs.cat_file(f"osscse://{BUCKET}/fs/dir/table.bin", start=-10) == payload[-10:]
    assert fs.cat_file(f"{BUCKET}/fs/dir/table.bin", start=5, end=25) == payload[5:25]
    fs.pipe_file(f"{BUCKET}/fs/top.txt", b"top")
    assert sorted(fs.ls(f"{BUCKET}/fs", detail=False)) == [f"{BUCKET}/fs/dir", f"{BUCKET}/fs/top.txt"]
    assert fs.info(f"{BUCKET}/fs/dir")["type"] == "directory"
    assert fs.info(f"{BUCKET}/fs/top.txt")["size"] == 3
    fs.cp_file(f"{BUCKET}/fs/top.txt", f"{BUCKET}/fs/copy.txt")
    assert fs.cat_file(f"{BUCKET}/fs/copy.txt") == b"top"
    fs.rm_file(f"{BUCKET}/fs/copy.txt")
    assert not fs.exists(f"{BUCKET}/fs/copy.txt")
    with pytest.raises(FileNotFoundError):
        fs.cat_file(f"{BUCKET}/fs/absent")
