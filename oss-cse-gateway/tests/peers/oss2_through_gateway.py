"""oss2's plain Bucket through the gateway, and oss2's CryptoBucket straight to the emulator behind it: what one
writes the other reads; the stored bytes are ciphertext; hostile requests are refused."""

import os
import sys

import oss2

from peer_env import BUCKET, CLIENT, GATEWAY, UPSTREAM, data, direct, raw

through = oss2.Bucket(CLIENT, GATEWAY, BUCKET)

# Up through the gateway (oss2 checks the CRC-64 the gateway answers with against what it sent), read directly.
for name, size in [("small.txt", 1000), ("large.bin", 3 * 1024 * 1024 + 5)]:
    payload = data(size, size % 7)
    result = through.put_object("gw/" + name, payload, headers={"x-oss-meta-owner": "ward 4",
                                                                "Content-MD5": oss2.utils.content_md5(payload)})
    assert result.crc is not None, "the gateway answers with the plaintext's CRC-64"
    assert direct.get_object("gw/" + name).read() == payload
    stored = raw.get_object("gw/" + name).read()
    assert len(stored) == size and stored != payload, "ciphertext on OSS"
    whole = through.get_object("gw/" + name)
    assert whole.read() == payload
    assert whole.server_crc == whole.client_crc, "a whole GET says the plaintext's CRC-64, which oss2 checks"
    assert through.get_object("gw/" + name, byte_range=(100, 199)).read() == payload[100:200]
    head = through.head_object("gw/" + name)
    assert head.content_length == size and head.headers["x-oss-meta-owner"] == "ward 4"
    assert not any(h.lower().startswith("x-oss-meta-client-side-encryption") for h in head.headers)

# Written directly by CryptoBucket, read through the gateway.
theirs = data(70_000, 3)
direct.put_object("gw/by-crypto-bucket", theirs)
got = through.get_object("gw/by-crypto-bucket")
assert got.read() == theirs and "x-oss-meta-client-side-encryption-key" not in got.headers
assert through.get_object("gw/by-crypto-bucket", byte_range=(69_990, None)).read() == theirs[69_990:]

# A copy through the gateway keeps the envelope: CryptoBucket reads it directly, and so does the gateway.
through.copy_object(BUCKET, "gw/large.bin", "gw/copied.bin")
assert direct.get_object("gw/copied.bin").read() == data(3 * 1024 * 1024 + 5, (3 * 1024 * 1024 + 5) % 7)
assert through.get_object("gw/copied.bin", byte_range=(0, 9)).read() == data(10, (3 * 1024 * 1024 + 5) % 7)
# A copy with new metadata and new tags (REPLACE): the envelope stays, so CryptoBucket still reads it.
through.copy_object(BUCKET, "gw/by-crypto-bucket", "gw/renamed", headers={
    "x-oss-metadata-directive": "REPLACE", "Content-Type": "text/csv", "x-oss-meta-owner": "ward 5",
    "x-oss-tagging-directive": "REPLACE", "x-oss-tagging": "ward=5"})
assert direct.get_object("gw/renamed").read() == theirs
head = through.head_object("gw/renamed")
assert head.headers["x-oss-meta-owner"] == "ward 5" and head.headers["content-type"] == "text/csv", head.headers
assert through.get_object_tagging("gw/renamed").tag_set.tagging_rule == {"ward": "5"}
through.delete_object("gw/renamed")
through.delete_object("gw/copied.bin")

# Multipart through the gateway (parts sent out of order), then oss2's own resumable upload: spooled, uploaded at
# Complete as a client-side encrypted object that CryptoBucket reads directly.
payload = data(700_000, 5)
upload_id = through.init_multipart_upload("gw/multi.bin").upload_id
parts = []
for number, start in reversed([(1, 0), (2, 300_000), (3, 600_000)]):
    end = min(start + 300_000, len(payload))
    result = through.upload_part("gw/multi.bin", upload_id, number, payload[start:end])
    parts.append(oss2.models.PartInfo(number, result.etag))
assert [p.part_number for p in through.list_parts("gw/multi.bin", upload_id).parts] == [1, 2, 3]
parts.sort(key=lambda p: p.part_number)
through.complete_multipart_upload("gw/multi.bin", upload_id, parts)
assert direct.get_object("gw/multi.bin").read() == payload
assert through.get_object("gw/multi.bin", byte_range=(299_990, 300_009)).read() == payload[299_990:300_010]
# A part sent again that does not check out leaves the part already spooled as it was.
kept = through.init_multipart_upload("gw/kept").upload_id
first = through.upload_part("gw/kept", kept, 1, b"k" * 1000)
try:
    through.upload_part("gw/kept", kept, 1, b"x" * 1000, headers={"Content-MD5": oss2.utils.content_md5(b"y")})
    sys.exit("a part with a wrong Content-MD5 was taken")
except oss2.exceptions.OssError as error:
    assert error.code == "InvalidDigest", error.code
through.complete_multipart_upload("gw/kept", kept, [oss2.models.PartInfo(1, first.etag)])
assert direct.get_object("gw/kept").read() == b"k" * 1000
through.delete_object("gw/kept")
aborted = through.init_multipart_upload("gw/aborted").upload_id
through.upload_part("gw/aborted", aborted, 1, b"x" * 1000)
through.abort_multipart_upload("gw/aborted", aborted)
assert not raw.object_exists("gw/aborted")
source = os.path.join(os.environ["WORK"], "resumable.bin")
with open(source, "wb") as f:
    f.write(data(1_500_000, 9))
oss2.resumable_upload(through, "gw/resumable.bin", source, multipart_threshold=200 * 1024, part_size=256 * 1024,
                      num_threads=3, store=oss2.ResumableStore(root=os.environ["WORK"]))
assert direct.get_object("gw/resumable.bin").read() == data(1_500_000, 9)
target = os.path.join(os.environ["WORK"], "back.bin")
oss2.resumable_download(through, "gw/resumable.bin", target, multiget_threshold=200 * 1024, part_size=256 * 1024,
                        num_threads=3, store=oss2.ResumableDownloadStore(root=os.environ["WORK"]))
with open(target, "rb") as f:
    assert f.read() == data(1_500_000, 9)
for key in ["gw/multi.bin", "gw/resumable.bin"]:
    through.delete_object(key)

# Listings and deletes pass through.
keys = [o.key for o in oss2.ObjectIterator(through, prefix="gw/")]
assert keys == ["gw/by-crypto-bucket", "gw/large.bin", "gw/small.txt"], keys
through.delete_object("gw/small.txt")
try:
    through.get_object("gw/small.txt")
    sys.exit("a deleted object was read")
except oss2.exceptions.NoSuchKey as error:
    assert error.request_id

# Hostile: a wrong secret, the upstream's key, the envelope sent by the client, an append, a part copied from an
# object (it would land unencrypted), a part of an upload that does not exist.
for attempt, expected in [
    (lambda: oss2.Bucket(oss2.Auth(os.environ["CLIENT_ID"], "wrong"), GATEWAY, BUCKET).get_object("gw/large.bin"),
     "SignatureDoesNotMatch"),
    (lambda: oss2.Bucket(UPSTREAM, GATEWAY, BUCKET).get_object("gw/large.bin"), "InvalidAccessKeyId"),
    (lambda: through.put_object("gw/forged", b"x", headers={"x-oss-meta-client-side-encryption-key": "AAAA"}),
     "InvalidArgument"),
    (lambda: through.append_object("gw/log", 0, b"x"), "InvalidArgument"),
    (lambda: through.put_object("gw/bad-md5", b"abc", headers={"Content-MD5": oss2.utils.content_md5(b"abd")}),
     "InvalidDigest"),
    (lambda: through.upload_part_copy(BUCKET, "gw/large.bin", (0, 1023), "gw/parts",
                                      through.init_multipart_upload("gw/parts").upload_id, 1), "NotImplemented"),
    (lambda: through.upload_part("gw/parts", "no-such-upload", 1, b"x"), "NoSuchUpload"),
]:
    try:
        attempt()
        sys.exit(f"not refused: {expected}")
    except oss2.exceptions.OssError as error:
        assert error.code == expected, (error.code, expected)
for refused in ["gw/forged", "gw/log", "gw/bad-md5"]:
    assert not raw.object_exists(refused), refused

# A wrong Content-MD5 over an existing object leaves it as it was (the engine checks before it stores); one in hex
# is not a Content-MD5 to OSS either.
large = data(3 * 1024 * 1024 + 5, (3 * 1024 * 1024 + 5) % 7)
for wrong in [oss2.utils.content_md5(b"other"), oss2.utils.md5_string(large)]:
    try:
        through.put_object("gw/large.bin", b"replacement", headers={"Content-MD5": wrong})
        sys.exit("a wrong Content-MD5 was taken")
    except oss2.exceptions.OssError as error:
        assert error.code == "InvalidDigest", error.code
    assert direct.get_object("gw/large.bin").read() == large, "the earlier version stays"
print("ok")
