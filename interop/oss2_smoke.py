"""Drives the emulator with the official Python SDK (oss2), unmodified.

Environment: OSS_ENDPOINT, OSS_ACCESS_KEY_ID, OSS_ACCESS_KEY_SECRET, OSS_BUCKET,
OSS_CSE_KEYS (the vectors/keys directory), OSS_CSE_WORKDIR (scratch directory).
Exits non-zero on the first failed check; prints one line per check.
"""
import os
import sys

import oss2
from oss2.crypto import RsaProvider
from oss2.models import ServerSideEncryptionRule

endpoint = os.environ["OSS_ENDPOINT"]
ak = os.environ["OSS_ACCESS_KEY_ID"]
sk = os.environ["OSS_ACCESS_KEY_SECRET"]
bucket_name = os.environ["OSS_BUCKET"]
keys = os.environ["OSS_CSE_KEYS"]
work = os.environ["OSS_CSE_WORKDIR"]

checks = 0


def check(name, condition):
    global checks
    if not condition:
        print("FAILED: " + name)
        sys.exit(1)
    checks += 1
    print("ok: " + name)


def data(n, seed=0):
    return bytes((i * 7 + seed) % 251 for i in range(n))


auth = oss2.Auth(ak, sk)
service = oss2.Service(auth, endpoint)
bucket = oss2.Bucket(auth, endpoint, bucket_name)
bucket.create_bucket()
check("list_buckets", bucket_name in [b.name for b in service.list_buckets().buckets])

# Simple objects, metadata, CRC checks (oss2 verifies x-oss-hash-crc64ecma).
body = data(100000)
bucket.put_object("plain/a.bin", body, headers={"x-oss-meta-color": "blue"})
got = bucket.get_object("plain/a.bin")
check("put/get with crc", got.read() == body and got.headers["x-oss-meta-color"] == "blue")
check("ranged get", bucket.get_object("plain/a.bin", byte_range=(10, 19)).read() == body[10:20])
check("head", bucket.head_object("plain/a.bin").content_length == len(body))
check("object exists", bucket.object_exists("plain/a.bin") and not bucket.object_exists("plain/none"))
bucket.copy_object(bucket_name, "plain/a.bin", "plain/b.bin")
check("copy", bucket.get_object("plain/b.bin").read() == body)
names = [o.key for o in oss2.ObjectIterator(bucket, prefix="plain/")]
check("list objects (v1)", names == ["plain/a.bin", "plain/b.bin"])
names = [o.key for o in oss2.ObjectIteratorV2(bucket, prefix="plain/")]
check("list objects (v2)", names == ["plain/a.bin", "plain/b.bin"])
bucket.delete_object("plain/b.bin")
check("delete", not bucket.object_exists("plain/b.bin"))
url = bucket.sign_url("GET", "plain/a.bin", 60)
check("presigned url (v1)", bucket.get_object_with_url(url).read() == body)
live = bucket.list_live_channel()
check("live channel listing (empty)", live.channels == [] and not live.is_truncated)

# Signature V4.
auth4 = oss2.ProviderAuthV4(oss2.credentials.StaticCredentialsProvider(ak, sk))
bucket4 = oss2.Bucket(auth4, endpoint, bucket_name, region="cn-hangzhou")
bucket4.put_object("v4/x y+z.txt", b"v4 body")
check("signature v4", bucket4.get_object("v4/x y+z.txt").read() == b"v4 body")

# Multipart, by hand and resumable.
part = 100 * 1024
big = data(3 * part + 123, 5)
upload_id = bucket.init_multipart_upload("mp/manual").upload_id
parts = []
for n, offset in enumerate(range(0, len(big), part), start=1):
    result = bucket.upload_part("mp/manual", upload_id, n, big[offset:offset + part])
    parts.append(oss2.models.PartInfo(n, result.etag))
check("list_parts", len(bucket.list_parts("mp/manual", upload_id).parts) == 4)
bucket.complete_multipart_upload("mp/manual", upload_id, parts)
check("multipart", bucket.get_object("mp/manual").read() == big)
src = os.path.join(work, "resumable.bin")
with open(src, "wb") as f:
    f.write(big)
oss2.resumable_upload(bucket, "mp/resumable", src, multipart_threshold=part, part_size=part, num_threads=2,
                      store=oss2.ResumableStore(root=work))
dst = os.path.join(work, "resumable.out")
oss2.resumable_download(bucket, "mp/resumable", dst, multiget_threshold=part, part_size=part, num_threads=2,
                        store=oss2.ResumableDownloadStore(root=work))
with open(dst, "rb") as f:
    check("resumable upload and download", f.read() == big)

# Server-side encryption.
rule = ServerSideEncryptionRule()
rule.sse_algorithm = oss2.SERVER_SIDE_ENCRYPTION_KMS
rule.kms_master_keyid = "cmk-from-oss2"
bucket.put_bucket_encryption(rule)
read_rule = bucket.get_bucket_encryption()
check("bucket encryption", read_rule.sse_algorithm == "KMS" and read_rule.kms_master_keyid == "cmk-from-oss2")
result = bucket.put_object("sse/default", b"encrypted by default")
check("sse default applied", result.headers.get("x-oss-server-side-encryption") == "KMS")
bucket.delete_bucket_encryption()
result = bucket.put_object("sse/aes", b"aes", headers={"x-oss-server-side-encryption": "AES256"})
check("sse per object", bucket.head_object("sse/aes").headers.get("x-oss-server-side-encryption") == "AES256")

# Client-side encryption with oss2's CryptoBucket.
with open(os.path.join(keys, "key1_public_spki.pem")) as f:
    public = f.read()
with open(os.path.join(keys, "key1_private_pkcs1.pem")) as f:
    private = f.read()
provider = RsaProvider(key_pair={"public_key": public, "private_key": private})
crypto = oss2.CryptoBucket(auth, endpoint, bucket_name, crypto_provider=provider)
secret = data(5000, 9)
crypto.put_object("cse/oss2-simple", secret)
check("cryptobucket put/get", crypto.get_object("cse/oss2-simple").read() == secret)
check("stored bytes are ciphertext", bucket.get_object("cse/oss2-simple").read() != secret)
check("cryptobucket ranged get", crypto.get_object("cse/oss2-simple", byte_range=(17, 40)).read() == secret[17:41])
context = oss2.models.MultipartUploadCryptoContext(len(big), part)
upload = crypto.init_multipart_upload("cse/oss2-multipart", upload_context=context)
parts = []
for n, offset in enumerate(range(0, len(big), part), start=1):
    result = crypto.upload_part("cse/oss2-multipart", upload.upload_id, n, big[offset:offset + part],
                                upload_context=context)
    parts.append(oss2.models.PartInfo(n, result.etag))
crypto.complete_multipart_upload("cse/oss2-multipart", upload.upload_id, parts)
check("cryptobucket multipart", crypto.get_object("cse/oss2-multipart").read() == big)

print("%d passed, 0 failed" % checks)
