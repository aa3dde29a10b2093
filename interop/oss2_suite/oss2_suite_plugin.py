"""pytest plugin that runs oss2 2.19.1's own test suite against the emulator.

Loaded with `pytest -p oss2_suite_plugin` (this directory on PYTHONPATH).
Environment: OSS_TEST_ENDPOINT, OSS_TEST_ACCESS_KEY_ID and
OSS_TEST_ACCESS_KEY_SECRET name the emulator; OSS_TEST_KMS_HOST is its
host:port, where the KMS answers too.

oss2 has no KMS endpoint option, and aliyunsdkkms builds every request for
https://kms.<region>.aliyuncs.com, so every request the core SDK sends is
pointed at the emulator over http here. Nothing else in oss2 is changed.
"""
import os

import oss2
import pytest
from aliyunsdkcore.client import AcsClient

KMS_HOST = os.environ["OSS_TEST_KMS_HOST"]

_do_action = AcsClient.do_action_with_exception


def _to_emulator(self, request):
    request.set_endpoint(KMS_HOST)
    request.set_protocol_type("http")
    return _do_action(self, request)


AcsClient.do_action_with_exception = _to_emulator

# Tests left out, each with what it needs that a client-side encryption
# emulator should not carry. Keys are "file::Class::test".
_SYMLINKS = "symlinks"
_RESTORE = "restoring archived objects"
_IMAGES = "image processing (x-oss-process)"
_SELECT = "SelectObject"
_REAL_OSS = "the real service: it hard-codes http://oss-cn-shanghai.aliyuncs.com"
_TIMEOUT = "a 1 ms connect timeout to expire, which a loopback connection never does"
LEFT_OUT = {
    "test_object.py::TestObject::test_anonymous": "anonymous access to public buckets",
    "test_object.py::TestObject::test_async_process_object": _IMAGES,
    "test_object.py::TestObject::test_process_object": _IMAGES,
    "test_object.py::TestObject::test_default_timeout": _TIMEOUT,
    "test_object.py::TestObject::test_timeout": _TIMEOUT,
    "test_object.py::TestObject::test_get_symlink": _SYMLINKS,
    "test_object.py::TestObject::test_put_symlink": _SYMLINKS,
    "test_object.py::TestObject::test_put_symlink_with_tagging": _SYMLINKS,
    "test_object.py::TestObject::test_put_symlink_with_tagging_with_wrong_num": _SYMLINKS,
    # test_object.py defines test_list_objects twice; the one that runs restores.
    "test_object.py::TestObject::test_list_objects": _RESTORE,
    "test_object.py::TestObject::test_restore_archive_object_with_job_parameters": _RESTORE,
    "test_object.py::TestObject::test_restore_object_with_config": _RESTORE,
    "test_object.py::TestObject::test_restore_object_with_wrong_request": _RESTORE,
    "test_object.py::TestObject::test_sign_url_with_callback": "upload callbacks to an application server",
    "test_multipart.py::TestMultipart::test_multipart_sequential": _REAL_OSS,
    "test_upload.py::TestUpload::test_upload_sequenial": _REAL_OSS,
    "test_crypto_object.py::TestCryptoObject::test_crypto_create_select_object_meta": _SELECT,
    "test_crypto_object.py::TestCryptoObject::test_crypto_select_object": _SELECT,
    "test_crypto_object.py::TestCryptoObject::test_crypto_get_object_and_process": _IMAGES,
    "test_crypto_object.py::TestCryptoObject::test_crypto_get_object_with_url_and_process": _IMAGES,
    "test_crypto_object.py::TestCryptoObject::test_crypto_process_object": _IMAGES,
    "test_list_objects_v2.py::TestIteratorV2::test_normal_list_objects_restore_info": _RESTORE,
    "test_iterator.py::TestIterator::test_live_channel_iterator": "live channels (RTMP ingest)",
}


# Tests with a race of oss2's own, run again (at most twice) when they lose
# it. test_relpath_and_abspath reads the resumable-download record from a
# worker thread while another thread rewrites the file in place (oss2's
# ResumableStore writes without a rename); a half-written record reads as
# None and the test fails with a TypeError before any request is judged.
# A fast server makes the race likelier, but no reply of it is involved.
RACY = {
    "test_download.py::TestDownload::test_relpath_and_abspath",
}


# oss2's setUp resets most of oss2.defaults but not min_part_size, which
# test_download.py lowers to 100 and never restores; a later CryptoBucket test
# that expects a small part size to be refused then passes or fails by the
# luck of its random part size. Each test starts from the SDK's defaults.
_MIN_PART_SIZE = oss2.defaults.min_part_size


@pytest.fixture(autouse=True)
def _sdk_defaults():
    oss2.defaults.min_part_size = _MIN_PART_SIZE
    yield


def pytest_collection_modifyitems(config, items):
    for item in items:
        name = item.nodeid.split("tests/", 1)[-1]
        reason = LEFT_OUT.get(name)
        if reason:
            item.add_marker(pytest.mark.skip(reason="needs " + reason))
        if name in RACY:
            item.add_marker(pytest.mark.flaky(reruns=2))
