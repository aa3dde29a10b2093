"""The official Python SDK's CryptoBucket as a peer of oss-cse.

  oss2_cse_peer.py read KEY...   decrypt objects written by oss-cse and check them
  oss2_cse_peer.py write         write objects for oss-cse to decrypt
  oss2_cse_peer.py fetch KEY OUT decrypt one object into the file OUT

Object content is bytes(i % 251 for i in range(n)) with n taken from the key
(".../len-<n>"). Environment as oss2_smoke.py; OSS_CSE_PEER_KEY names the key
pair of vectors/keys to hold (default key1), OSS_CSE_PEER_MATDESC its material
description (JSON, default none). Exits non-zero on failure.
"""
import json
import os
import sys

import oss2
from oss2.crypto import RsaProvider

endpoint = os.environ["OSS_ENDPOINT"]
bucket_name = os.environ["OSS_BUCKET"]
keys = os.environ["OSS_CSE_KEYS"]
auth = oss2.Auth(os.environ["OSS_ACCESS_KEY_ID"], os.environ["OSS_ACCESS_KEY_SECRET"])


def pem(name):
    with open(os.path.join(keys, name)) as f:
        return f.read()


key_name = os.environ.get("OSS_CSE_PEER_KEY", "key1")
mat_desc = json.loads(os.environ["OSS_CSE_PEER_MATDESC"]) if os.environ.get("OSS_CSE_PEER_MATDESC") else None
provider = RsaProvider(key_pair={"public_key": pem(key_name + "_public_spki.pem"),
                                 "private_key": pem(key_name + "_private_pkcs1.pem")},
                       mat_desc=mat_desc)
crypto = oss2.CryptoBucket(auth, endpoint, bucket_name, crypto_provider=provider)


def content(key):
    n = int(key.rsplit("len-", 1)[1])
    return bytes(i % 251 for i in range(n))


def main():
    passed = 0
    if sys.argv[1] == "read":
        for key in sys.argv[2:]:
            expected = content(key)
            got = crypto.get_object(key).read()
            if got != expected:
                print("FAILED: %s decrypted to %d bytes that differ" % (key, len(got)))
                sys.exit(1)
            if len(expected) > 40:
                ranged = crypto.get_object(key, byte_range=(16, 40)).read()
                if ranged != expected[16:41]:
                    print("FAILED: ranged read of " + key)
                    sys.exit(1)
            passed += 1
    elif sys.argv[1] == "fetch":
        crypto.get_object_to_file(sys.argv[2], sys.argv[3])
        passed += 1
    elif sys.argv[1] == "write":
        for n in [0, 1, 15, 16, 17, 1000, 65541]:
            crypto.put_object("from-oss2/len-%d" % n, content("x/len-%d" % n))
            passed += 1
        n = 3 * 102400 + 7
        data = content("x/len-%d" % n)
        context = oss2.models.MultipartUploadCryptoContext(n, 102400)
        upload = crypto.init_multipart_upload("from-oss2/multipart/len-%d" % n, upload_context=context)
        parts = []
        for number, offset in enumerate(range(0, n, 102400), start=1):
            result = crypto.upload_part("from-oss2/multipart/len-%d" % n, upload.upload_id, number,
                                        data[offset:offset + 102400], upload_context=context)
            parts.append(oss2.models.PartInfo(number, result.etag))
        crypto.complete_multipart_upload("from-oss2/multipart/len-%d" % n, upload.upload_id, parts)
        passed += 1
    print("%d passed, 0 failed" % passed)


main()
