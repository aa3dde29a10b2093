"""pytest plugin: oss2 2.19.1's own object, multipart, upload and download tests through the gateway, loaded after
interop/oss2_suite's plugin (which leaves out what the emulator does not carry).

A client of the gateway is a plain client: the suite's CryptoBucket fixtures (which its tests pick at random beside
the plain Bucket) would encrypt a second time, with an envelope the gateway refuses from clients by design, so here
they are the plain Bucket. Tests of what the gateway refuses by design are left out, each named with why.
"""
import pytest

import tests.common

_setup = tests.common.OssTestCase.setUp


def _plain_buckets_only(self):
    _setup(self)
    self.rsa_crypto_bucket = self.bucket
    self.kms_crypto_bucket = self.bucket


tests.common.OssTestCase.setUp = _plain_buckets_only

_APPEND = "AppendObject: an encrypted object cannot be appended to"
_ETAG = "the plaintext's MD5 as the ETag: OSS's ETag is of the stored ciphertext (consistent for If-Match, not the MD5)"
_GZIP = "gzip transfer encoding of a GET (the gateway answers with a Content-Length and no compression)"
LEFT_OUT = {
    "test_object.py::TestObject::test_append_object": _APPEND,
    "test_object.py::TestObject::test_append_object_with_tagging": _APPEND,
    "test_object.py::TestObject::test_append_object_with_tagging_wrong_num": _APPEND,
    "test_object.py::TestObject::test_disable_crc": _APPEND + " (it appends)",
    "test_object.py::TestObject::test_exceptions": _APPEND + " (it appends)",
    "test_object.py::TestObject::test_invalid_crc": _APPEND + " (it appends)",
    "test_object.py::TestObject::test_progress": _APPEND + " (it appends)",
    "test_object.py::TestObject::test_get_object_meta": _ETAG,
    "test_object.py::TestObject::test_gzip_get": _GZIP,
    "test_object.py::TestObject::test_get_object_with_url_to_file_chunked": _GZIP,
    "test_multipart.py::TestMultipart::test_init_multipart_with_object_tagging_exceptions":
        "OSS's checks of Initiate's headers: the gateway spools the upload and sends them at Complete",
    "test_multipart.py::TestMultipart::test_upload_part_copy":
        "UploadPartCopy: a part copied from a stored object would not be encrypted as a part of this one",
}


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    for item in items:
        reason = LEFT_OUT.get(item.nodeid.split("tests/", 1)[-1])
        if reason:
            item.add_marker(pytest.mark.skip(reason="through the gateway: " + reason))
