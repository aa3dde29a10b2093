"""pytest plugin: oss2 2.19.1's own client-side encryption tests, run with ``oss2.CryptoBucket`` replaced by
``oss_cse.oss2compat.CryptoBucket`` (tests/python.rs loads it after interop/oss2_suite's plugin, which points oss2's
KMS client at the emulator).

It changes two things, both here:

- ``oss2.CryptoBucket`` is the drop-in, everywhere the suite can reach it;
- the RSA keys the suite generates are at least 2048 bits long. The engine refuses shorter RSA keys by design (NIST
  SP 800-131A has disallowed 1024-bit RSA since 2014), and the suite makes 1024-bit ones (tests/common.py, and
  test_crypto_object_incorrect_description); with them every RSA test would stop at the key, not test the bucket.
"""

import oss2
import pytest
import oss2.crypto_bucket
from Crypto.PublicKey import RSA

import oss_cse.oss2compat

oss2.CryptoBucket = oss_cse.oss2compat.CryptoBucket
oss2.crypto_bucket.CryptoBucket = oss_cse.oss2compat.CryptoBucket

_generate = RSA.generate


def _at_least_2048(bits, *args, **kwargs):
    return _generate(max(bits, 2048), *args, **kwargs)


RSA.generate = _at_least_2048


# interop/oss2_suite leaves these out against the emulator, which carries no
# image processing; a CryptoBucket refuses processing before it sends
# anything, and these tests check just that, so they run here.
_REFUSED_BEFORE_SENDING = {
    "test_crypto_object.py::TestCryptoObject::test_crypto_get_object_and_process",
    "test_crypto_object.py::TestCryptoObject::test_crypto_get_object_with_url_and_process",
    "test_crypto_object.py::TestCryptoObject::test_crypto_process_object",
}


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    for item in items:
        if item.nodeid.split("tests/", 1)[-1] in _REFUSED_BEFORE_SENDING:
            item.own_markers = [marker for marker in item.own_markers if marker.name != "skip"]
