"""oss_cse.Client against the emulator, with oss2's CryptoBucket as the peer."""

import os
import threading

import oss2
import pytest

import oss_cse
from conftest import BUCKET, ENDPOINT, KEY_ID, key_file, make_client


def data(n, seed=0):
    return bytes((i * 31 + seed) % 251 for i in range(n))


def test_bytes_round_trip_ranges_and_head(client, plain_bucket):
    payload = data(100_003)
    etag = client.put_bytes(BUCKET, "py/bytes", payload, metadata={"Owner": "ops"})
    assert etag
    assert client.get_bytes(BUCKET, "py/bytes") == payload
    assert client.get_bytes(BUCKET, "py/bytes", range=(17, 40_000)) == payload[17:40_001]
    # Stored as ciphertext of the same length.
    stored = plain_bucket.get_object("py/bytes").read()
    assert len(stored) == len(payload) and stored != payload
    head = client.head(BUCKET, "py/bytes")
    assert head["size"] == len(payload)
    assert head["metadata"] == {"owner": "ops"}
    assert head["encryption"]["format"] == "V2"
    assert "RSA" in head["encryption"]["wrap_algorithm"]


def test_files_in_parts_with_progress(tmp_path):
    client = make_client(part_size=100 * 1024, multipart_threshold=200 * 1024)
    source = tmp_path / "big.bin"
    source.write_bytes(data(1_000_000, 3))
    seen = []
    client.put_file(BUCKET, "py/big.bin", str(source), progress=lambda done, total: seen.append((done, total)))
    assert seen and seen[-1] == (1_000_000, 1_000_000)
    target = tmp_path / "back.bin"
    assert client.get_file(BUCKET, "py/big.bin", str(target)) == 1_000_000
    assert target.read_bytes() == source.read_bytes()


def test_oss2_reads_ours_and_we_read_oss2s(client, crypto_bucket):
    client.put_bytes(BUCKET, "py/to-oss2", data(5000, 1))
    assert crypto_bucket.get_object("py/to-oss2").read() == data(5000, 1)
    crypto_bucket.put_object("py/from-oss2", data(7000, 2))
    assert client.get_bytes(BUCKET, "py/from-oss2") == data(7000, 2)
    assert client.get_bytes(BUCKET, "py/from-oss2", range=(100, 199)) == data(7000, 2)[100:200]


def test_list_copy_delete(client):
    for i in range(5):
        client.put_bytes(BUCKET, f"py/list/{i}", data(10, i))
    listing = client.list(BUCKET, "py/list/")
    assert iter(listing) is listing
    assert [o["key"] for o in listing] == [f"py/list/{i}" for i in range(5)]
    client.copy(BUCKET, "py/list/0", BUCKET, "py/list-copy")
    assert client.get_bytes(BUCKET, "py/list-copy") == data(10, 0)
    client.delete(BUCKET, "py/list-copy")
    with pytest.raises(oss_cse.NotFound):
        client.head(BUCKET, "py/list-copy")


def test_errors_are_typed_and_carry_what_oss_said(client, tmp_path):
    with pytest.raises(oss_cse.NotFound) as missing:
        client.get_bytes(BUCKET, "py/absent")
    assert missing.value.code == "NoSuchKey" and missing.value.request_id
    assert isinstance(missing.value, oss_cse.Error)
    client.put_bytes(BUCKET, "py/secret", b"secret")
    with pytest.raises(oss_cse.IntegrityError):
        make_client("key2").get_bytes(BUCKET, "py/secret")
    bad = tmp_path / "bad.pem"
    bad.write_text("")
    with pytest.raises(oss_cse.InvalidInput, match="bad.pem"):
        make_client(rsa_public_key=str(bad))
    with pytest.raises(oss_cse.InvalidInput, match="no master key"):
        oss_cse.Client(ENDPOINT, access_key_id=KEY_ID, access_key_secret="x")
    wrong = oss_cse.Client(ENDPOINT, access_key_id=KEY_ID, access_key_secret="wrong", allow_plaintext=True)
    with pytest.raises(oss_cse.AccessDenied) as denied:
        wrong.head(BUCKET, "py/secret")
    assert denied.value.code == "SignatureDoesNotMatch"
    with pytest.raises(oss_cse.InvalidInput):
        client.get_bytes(BUCKET, "py/secret", range=(10, 5))
    # A failed download leaves no file, plaintext or partial.
    target = tmp_path / "never.bin"
    with pytest.raises(oss_cse.IntegrityError):
        make_client("key2").get_file(BUCKET, "py/secret", str(target))
    assert os.listdir(tmp_path) == ["bad.pem"]


def test_plaintext_objects_need_allow_plaintext(client, plain_bucket):
    plain_bucket.put_object("py/plain", b"not encrypted")
    with pytest.raises(oss_cse.Error, match="not client-side encrypted"):
        client.get_bytes(BUCKET, "py/plain")
    reader = oss_cse.Client(ENDPOINT, access_key_id=KEY_ID, access_key_secret=os.environ["OSS_CSE_TEST_ACCESS_KEY_SECRET"], allow_plaintext=True)
    assert reader.get_bytes(BUCKET, "py/plain") == b"not encrypted"


def test_threads_transfer_at_once(client):
    errors = []

    def work(i):
        try:
            payload = data(2_000_000, i)
            client.put_bytes(BUCKET, f"py/thread/{i}", payload)
            assert client.get_bytes(BUCKET, f"py/thread/{i}") == payload
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []


def test_open_reads_ranges_and_seeks(client):
    payload = data(3_000_000, 5)
    client.put_bytes(BUCKET, "py/file-like", payload)
    with client.open(BUCKET, "py/file-like", "rb", buffer_size=64 * 1024) as f:
        assert f.read(10) == payload[:10]
        f.seek(2_000_000)
        assert f.read(100) == payload[2_000_000:2_000_100]
        f.seek(-5, os.SEEK_END)
        assert f.read() == payload[-5:]
        assert f.read() == b""
    # Replaced after opening: an error, never a mix of two objects.
    f = client.open(BUCKET, "py/file-like", "rb", buffer_size=16)
    f.read(1)
    client.put_bytes(BUCKET, "py/file-like", b"replaced")
    with pytest.raises(oss_cse.Error):
        f.read(100)


@pytest.mark.parametrize("expected_size", [None, 1_000_000])
def test_open_writes_a_stream(expected_size):
    client = make_client(part_size=100 * 1024, multipart_threshold=200 * 1024)
    payload = data(1_000_000, 7)
    key = f"py/written-{expected_size}"
    with client.open(BUCKET, key, "wb", expected_size=expected_size) as w:
        for start in range(0, len(payload), 65_536):
            w.write(payload[start : start + 65_536])
    assert w.closed and w.etag
    assert client.get_bytes(BUCKET, key) == payload


def test_a_writer_that_fails_stores_nothing(client):
    with pytest.raises(RuntimeError):
        with client.open(BUCKET, "py/never", "wb") as w:
            w.write(b"partial")
            raise RuntimeError("the producer died")
    with pytest.raises(oss_cse.NotFound):
        client.head(BUCKET, "py/never")
    short = client.open(BUCKET, "py/short", "wb", expected_size=100)
    short.write(b"only ten b")
    with pytest.raises(oss_cse.Error, match="length|size|expected"):
        short.close()
    with pytest.raises(oss_cse.NotFound):
        client.head(BUCKET, "py/short")


def test_rewrap_moves_an_object_to_a_new_key(client):
    client.put_bytes(BUCKET, "py/rotate", data(400_000, 11))
    algorithm, matdesc = client.rewrap(BUCKET, "py/rotate", key_file("key2", "public"), matdesc={"desc": "2027"})
    assert "RSA" in algorithm and "2027" in matdesc
    assert make_client("key2").get_bytes(BUCKET, "py/rotate") == data(400_000, 11)
    with pytest.raises(oss_cse.IntegrityError):
        client.get_bytes(BUCKET, "py/rotate")


def test_the_bulk_engine_shared_by_workers(client, tmp_path):
    """Three workers (a process pool, Ray, a Kubernetes Indexed Job would do the same) each take one shard of a copy
    and of a rotation; every object is done exactly once, and a rerun does nothing."""
    for i in range(9):
        client.put_bytes(BUCKET, f"bulk/src/{i:02}", data(2_000 + i, i))
    resume = tmp_path / "resume"
    copied = [client.copy_tree(BUCKET, "bulk/src/", BUCKET, "bulk/dst/", shard=(i, 3), resume=str(resume))
              for i in range(3)]
    assert sum(s["done"] for s in copied) == 9 and all(s["done"] + s["other_shards"] == 9 for s in copied)
    assert oct(resume.stat().st_mode & 0o777) == "0o700"
    assert [o["key"] for o in client.list(BUCKET, "bulk/dst/")] == [f"bulk/dst/{i:02}" for i in range(9)]
    assert client.copy_tree(BUCKET, "bulk/src/", BUCKET, "bulk/dst/", no_clobber=True)["skipped"] == 9

    # Rotation of the copies, by shard, to key2; then a rerun finds every object already moved.
    public2 = key_file("key2", "public")
    rotated = [client.rewrap_prefix(BUCKET, "bulk/dst/", public2, matdesc={"desc": "2027"}, shard=(i, 3), jobs=2)
               for i in range(3)]
    assert sum(s["done"] for s in rotated) == 9
    again = client.rewrap_prefix(BUCKET, "bulk/dst/", public2, matdesc={"desc": "2027"})
    assert (again["done"], again["skipped"]) == (0, 9)
    assert make_client("key2").get_bytes(BUCKET, "bulk/dst/04") == data(2_004, 4)

    # Only the manifest's keys; a failure raises with the summary attached.
    manifest = tmp_path / "keys.txt"
    manifest.write_text("bulk/src/01\n# a comment\nbulk/src/missing\n")
    with pytest.raises(oss_cse.NotFound) as failed:
        client.copy_tree(BUCKET, "bulk/src/", BUCKET, "bulk/listed/", manifest=str(manifest))
    summary = failed.value.summary
    assert (summary["done"], summary["failed"]) == (1, 1) and summary["failures"][0][0] == "bulk/src/missing"
    with pytest.raises(oss_cse.InvalidInput):
        client.rewrap_prefix(BUCKET, "bulk/", public2, shard=(3, 3))
