"""oss_cse.oss2compat.CryptoBucket as a drop-in for oss2's: the same calls, results and exceptions, objects that
oss2's own CryptoBucket reads, and the reverse."""

import os

import oss2
import pytest
from oss2.crypto import EncryptionMaterials, RsaProvider

from conftest import BUCKET, ENDPOINT, KEY_ID, SECRET, key_file
from oss_cse.oss2compat import CryptoBucket


def pem(pair, half):
    with open(key_file(pair, half)) as f:
        return f.read()


def provider(pair="key1", mat_desc=None):
    return RsaProvider(key_pair={"public_key": pem(pair, "public"), "private_key": pem(pair, "private")},
                       mat_desc=mat_desc)


def data(n, seed=0):
    return bytes((i * 7 + seed) % 251 for i in range(n))


@pytest.fixture
def ours():
    return CryptoBucket(oss2.Auth(KEY_ID, SECRET), ENDPOINT, BUCKET, crypto_provider=provider())


@pytest.fixture
def theirs():
    return oss2.CryptoBucket(oss2.Auth(KEY_ID, SECRET), ENDPOINT, BUCKET, crypto_provider=provider())


def test_put_and_get_are_oss2s_shapes_both_ways(ours, theirs):
    result = ours.put_object("compat/a", data(70_000), headers={"x-oss-meta-team": "ops"})
    assert isinstance(result, oss2.models.PutObjectResult) and result.etag and result.status == 200
    assert result.crc is not None and result.request_id
    assert theirs.get_object("compat/a").read() == data(70_000)
    theirs.put_object("compat/b", data(33_333, 1))
    got = ours.get_object("compat/b")
    assert got.content_length == 33_333 and got.headers["Content-Length"] == "33333"
    assert b"".join(got) == data(33_333, 1)
    ranged = ours.get_object("compat/b", byte_range=(100, 1099))
    assert ranged.status == 206 and ranged.content_length == 1000
    assert ranged.headers["content-range"] == "bytes 100-1099/33333"
    assert ranged.read(10) + ranged.read() == data(33_333, 1)[100:1100]
    assert ours.head_object("compat/a").headers["x-oss-meta-team"] == "ops"


def test_files_and_the_inherited_methods(ours, theirs, tmp_path):
    source = tmp_path / "in.bin"
    source.write_bytes(data(250_000, 2))
    ours.put_object_from_file("compat/file", str(source))
    target = tmp_path / "out.bin"
    theirs.get_object_to_file("compat/file", str(target))
    assert target.read_bytes() == source.read_bytes()
    ours.get_object_to_file("compat/file", str(tmp_path / "ours.bin"))
    assert (tmp_path / "ours.bin").read_bytes() == source.read_bytes()
    # Inherited from oss2.Bucket: listings, existence, deletes.
    keys = [o.key for o in oss2.ObjectIterator(ours, prefix="compat/file")]
    assert keys == ["compat/file"]
    assert ours.object_exists("compat/file")
    ours.delete_object("compat/file")
    assert not ours.object_exists("compat/file")


def test_oss2s_exceptions_and_materials(ours, theirs):
    with pytest.raises(oss2.exceptions.NoSuchKey) as missing:
        ours.get_object("compat/absent")
    assert missing.value.status == 404 and missing.value.request_id
    # Several pairs, chosen by mat_desc as oss2 chooses: key2 objects open with key1's bucket
    # once key2's pair is added as encryption materials.
    key2 = CryptoBucket(oss2.Auth(KEY_ID, SECRET), ENDPOINT, BUCKET,
                        crypto_provider=provider("key2", mat_desc={"desc": "key2"}))
    key2.put_object("compat/by-key2", b"second key")
    both = provider(mat_desc={"desc": "key1"})
    both.add_encryption_materials(EncryptionMaterials({"desc": "key2"}, key_pair={
        "public_key": pem("key2", "public"), "private_key": pem("key2", "private")}))
    reader = CryptoBucket(oss2.Auth(KEY_ID, SECRET), ENDPOINT, BUCKET, crypto_provider=both)
    assert reader.get_object("compat/by-key2").read() == b"second key"
    with pytest.raises(oss2.exceptions.OssError):
        ours.get_object("compat/by-key2").read()


def test_multipart_with_oss2s_upload_context(ours, theirs):
    size, part = 350_000, 100 * 1024
    payload = data(size, 9)
    context = oss2.models.MultipartUploadCryptoContext(size, part)
    upload_id = ours.init_multipart_upload("compat/multi", upload_context=context).upload_id
    parts = []
    for number, start in reversed(list(enumerate(range(0, size, part), 1))):
        result = ours.upload_part("compat/multi", upload_id, number, payload[start:start + part],
                                  upload_context=context)
        parts.append(oss2.models.PartInfo(number, result.etag))
    parts.sort(key=lambda p: p.part_number)
    ours.complete_multipart_upload("compat/multi", upload_id, parts)
    assert theirs.get_object("compat/multi").read() == payload
    assert ours.get_object("compat/multi").read() == payload
    with pytest.raises(oss2.exceptions.ClientError):
        ours.init_multipart_upload("compat/no-context")


def test_an_upload_is_taken_up_from_a_record_by_another_bucket_object(ours, theirs):
    """What oss2's resumable upload records of an upload (its ContentCryptoMaterial) takes it up in another process:
    a new bucket object reopens it once OSS confirms that wrapped key; a record naming another upload is refused."""
    size, part = 250_000, 100 * 1024
    payload = data(size, 12)
    context = oss2.models.MultipartUploadCryptoContext(size, part)
    upload_id = ours.init_multipart_upload("compat/taken-up", upload_context=context).upload_id
    first = ours.upload_part("compat/taken-up", upload_id, 1, payload[:part], upload_context=context)
    material = context.content_crypto_material
    record = {"wrap_alg": material.wrap_alg, "cek_alg": material.cek_alg, "encrypted_key": material.encrypted_key,
              "encrypted_iv": material.encrypted_iv, "mat_desc": material.mat_desc}

    later = CryptoBucket(oss2.Auth(KEY_ID, SECRET), ENDPOINT, BUCKET, crypto_provider=provider())
    cipher = later.crypto_provider.cipher
    restored = oss2.models.ContentCryptoMaterial(cipher, record["wrap_alg"], record["encrypted_key"],
                                                 record["encrypted_iv"], record["mat_desc"])
    resumed = oss2.models.MultipartUploadCryptoContext(size, part, restored)
    parts = [oss2.models.PartInfo(1, first.etag)]
    for number, start in [(2, part), (3, 2 * part)]:
        result = later.upload_part("compat/taken-up", upload_id, number, payload[start:start + part],
                                   upload_context=resumed)
        parts.append(oss2.models.PartInfo(number, result.etag))
    later.complete_multipart_upload("compat/taken-up", upload_id, parts)
    assert theirs.get_object("compat/taken-up").read() == payload

    # The same record offered for another upload: OSS does not report that wrapped key for it.
    other = oss2.models.MultipartUploadCryptoContext(size, part)
    other_id = ours.init_multipart_upload("compat/other", upload_context=other).upload_id
    stranger = CryptoBucket(oss2.Auth(KEY_ID, SECRET), ENDPOINT, BUCKET, crypto_provider=provider())
    with pytest.raises(oss2.exceptions.ClientError, match="does not report the given wrapped key"):
        stranger.upload_part("compat/other", other_id, 1, payload[:part], upload_context=resumed)
    with pytest.raises(oss2.exceptions.ClientError):
        stranger.upload_part("compat/other", other_id, 1, payload[:part])
    ours.abort_multipart_upload("compat/other", other_id)


def test_what_oss2s_cryptobucket_does_with_plain_objects_and_refusals(ours, plain_bucket):
    # oss2's CryptoBucket returns an object without an envelope as it is; so does the drop-in.
    plain_bucket.put_object("compat/plain.txt", b"not encrypted")
    assert ours.get_object("compat/plain.txt").read() == b"not encrypted"
    # The Content-Type oss2 would send, guessed from the key.
    ours.put_object("compat/page.html", b"<p>hi</p>")
    assert ours.head_object("compat/page.html").content_type == "text/html"
    with pytest.raises(oss2.exceptions.ClientError):
        ours.append_object("compat/appended", 0, b"x")


def test_open_ended_ranges_and_progress_as_oss2(ours, theirs):
    theirs.put_object("compat/ranges", data(10_000, 4))
    whole = data(10_000, 4)
    assert ours.get_object("compat/ranges", byte_range=(9_000, None)).read() == whole[9_000:]
    part = ours.get_object("compat/ranges", byte_range=(9_900, 9_999))
    assert part.read() == whole[-100:] and part.headers["content-range"] == "bytes 9900-9999/10000"
    # oss2's CryptoBucket refuses a suffix range (None, n); so does the drop-in (oss_cse.Client reads it).
    with pytest.raises(oss2.exceptions.ClientError):
        ours.get_object("compat/ranges", byte_range=(None, 100))
    # A range oss2 would not send reads the whole object, as oss2's does.
    assert ours.get_object("compat/ranges", byte_range=(50, 10)).read() == whole
    seen = []
    ours.get_object("compat/ranges", progress_callback=lambda done, total: seen.append((done, total))).read()
    assert seen[-1] == (10_000, 10_000)


def test_a_large_file_goes_up_in_parts_through_the_drop_in(theirs, tmp_path):
    ours = CryptoBucket(oss2.Auth(KEY_ID, SECRET), ENDPOINT, BUCKET, crypto_provider=provider())
    source = tmp_path / "large.csv"
    payload = os.urandom(70 << 20)  # above the 64 MiB multipart threshold
    source.write_bytes(payload)
    ours.put_object_from_file("compat/large.csv", str(source))
    head = ours.head_object("compat/large.csv")
    assert head.content_type == "text/csv" and "-" in head.etag, "a multipart object, typed by its name"
    assert theirs.get_object("compat/large.csv", byte_range=(65 << 20, (65 << 20) + 99)).read() == \
        payload[65 << 20:(65 << 20) + 100]


def test_the_fast_resumable_helpers(ours, theirs, tmp_path):
    from oss_cse.oss2compat import resumable_download, resumable_upload

    store = tmp_path / "store"
    source = tmp_path / "resumable.bin"
    source.write_bytes(data(300_000, 8))
    resumable_upload(ours, "compat/resumable", str(source), store=str(store))
    assert theirs.get_object("compat/resumable").read() == data(300_000, 8)
    target = tmp_path / "back.bin"
    resumable_download(ours, "compat/resumable", str(target), store=str(store))
    assert target.read_bytes() == data(300_000, 8)
    assert oct(store.stat().st_mode & 0o777) == "0o700"
    # Finished transfers leave no checkpoint (the folder's local key, which seals them, stays).
    assert [p.name for p in store.iterdir()] == [".oss-cse-checkpoint.key"]
    # oss2's own store objects name the folder as well, so oss2's calls keep working with one import changed.
    oss2_store = oss2.ResumableStore(root=str(tmp_path), dir="oss2-store")
    resumable_upload(ours, "compat/resumable-2", str(source), store=oss2_store, part_size=100 * 1024, num_threads=2)
    resumable_download(ours, "compat/resumable-2", str(target), store=oss2.ResumableDownloadStore(root=str(tmp_path)))
    assert target.read_bytes() == data(300_000, 8)
    assert [p.name for p in (tmp_path / "oss2-store").iterdir()] == [".oss-cse-checkpoint.key"], "the store's folder"
