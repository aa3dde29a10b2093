"""What every test of the Python package gets from the Rust harness (tests/python.rs), which starts the emulator:
its endpoint and keys, a bucket, and the vectors' RSA key pairs."""

import os

import oss2
import pytest
from oss2.crypto import RsaProvider

import oss_cse

ENDPOINT = os.environ["OSS_CSE_TEST_ENDPOINT"]
KEY_ID = os.environ["OSS_CSE_TEST_ACCESS_KEY_ID"]
SECRET = os.environ["OSS_CSE_TEST_ACCESS_KEY_SECRET"]
BUCKET = os.environ["OSS_CSE_TEST_BUCKET"]
KEYS = os.environ["OSS_CSE_TEST_KEYS"]


def key_file(pair, half):
    """The path of a vector key: half is "public" (SPKI) or "private" (PKCS#1)."""
    name = f"{pair}_public_spki.pem" if half == "public" else f"{pair}_private_pkcs1.pem"
    return os.path.join(KEYS, name)


def make_client(pair="key1", **settings):
    settings.setdefault("rsa_public_key", key_file(pair, "public"))
    settings.setdefault("rsa_private_key", key_file(pair, "private"))
    return oss_cse.Client(ENDPOINT, access_key_id=KEY_ID, access_key_secret=SECRET, **settings)


@pytest.fixture
def client():
    return make_client()


@pytest.fixture
def crypto_bucket():
    """oss2's own CryptoBucket holding key1."""
    with open(key_file("key1", "public")) as public, open(key_file("key1", "private")) as private:
        provider = RsaProvider(key_pair={"public_key": public.read(), "private_key": private.read()})
    return oss2.CryptoBucket(oss2.Auth(KEY_ID, SECRET), ENDPOINT, BUCKET, crypto_provider=provider)


@pytest.fixture
def plain_bucket():
    return oss2.Bucket(oss2.Auth(KEY_ID, SECRET), ENDPOINT, BUCKET)
