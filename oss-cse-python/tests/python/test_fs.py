"""oss_cse.fs.OssCseFileSystem through fsspec: what it writes oss2's CryptoBucket reads, ranged reads, listings."""

import fsspec
import pytest

from conftest import BUCKET, ENDPOINT, KEY_ID, SECRET, key_file

SETTINGS = dict(endpoint=ENDPOINT, access_key_id=KEY_ID, access_key_secret=SECRET,
                rsa_public_key=key_file("key1", "public"), rsa_private_key=key_file("key1", "private"))


@pytest.fixture
def fs():
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


def test_a_dataframe_through_parquet_both_ways_with_oss2(crypto_bucket):
    """pandas writes and reads osscse:// through fsspec (the protocol found by the installed package's entry point,
    not registered by hand); oss2's CryptoBucket reads the very bytes, and what oss2 writes pandas reads."""
    import io

    import pandas  # pip install -r interop/requirements.txt
    assert fsspec.get_filesystem_class("osscse").__name__ == "OssCseFileSystem"
    frame = pandas.DataFrame({"id": range(50_000), "name": [f"patient-{i}" for i in range(50_000)],
                              "dose": [i * 0.25 for i in range(50_000)]})
    url = f"osscse://{BUCKET}/fs/frames/visits.parquet"
    frame.to_parquet(url, storage_options=SETTINGS, row_group_size=10_000)
    stored = crypto_bucket.get_object("fs/frames/visits.parquet").read()
    assert stored[:4] == b"PAR1" and stored[-4:] == b"PAR1"
    assert pandas.read_parquet(io.BytesIO(stored)).equals(frame), "oss2 reads the table pandas wrote"
    back = pandas.read_parquet(url, storage_options=SETTINGS)
    assert back.equals(frame)
    doses = pandas.read_parquet(url, columns=["dose"], storage_options=SETTINGS)
    assert doses["dose"].tolist() == frame["dose"].tolist()

    buffer = io.BytesIO()
    frame.head(100).to_parquet(buffer)
    crypto_bucket.put_object("fs/frames/by-oss2.parquet", buffer.getvalue())
    written_by_oss2 = pandas.read_parquet(f"osscse://{BUCKET}/fs/frames/by-oss2.parquet", storage_options=SETTINGS)
    assert written_by_oss2.equals(frame.head(100))
