"""A second, independent implementation of oss-cse's authentication tag and
signature (docs/format.md, "Authenticated objects"), used to write the test
vectors in vectors/auth/tag_v1.json: Python's `cryptography` for AES-256-CTR,
HKDF-SHA256 and Ed25519, and the `blake3` package. Run:

    pip install blake3 cryptography
    python3 interop/auth_tag_reference.py > vectors/auth/tag_v1.json
"""
import base64
import json
import struct

import blake3
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

CHUNK = 1 << 20
CEK_ALG = b"AES/CTR/NoPadding"


def mac_key(data_key):
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=b"", info=b"oss-cse/mac-key/v1").derive(data_key)


def tag(data_key, iv, ciphertext):
    chunks = [ciphertext[i:i + CHUNK] for i in range(0, len(ciphertext), CHUNK)]
    mac = blake3.blake3(key=mac_key(data_key))
    mac.update(b"oss-cse/tag/v1\0")
    mac.update(bytes([len(CEK_ALG)]) + CEK_ALG)
    mac.update(iv)
    mac.update(struct.pack(">QQQ", len(ciphertext), CHUNK, len(chunks)))
    for chunk in chunks:
        mac.update(blake3.blake3(chunk).digest())
    return mac.digest()


def signed_message(tag_bytes, name=None):
    message = b"oss-cse/sig/v1\0" + tag_bytes
    if name is not None:
        for part in name:
            raw = part.encode()
            message += struct.pack(">I", len(raw)) + raw
    return message


def main():
    data_key = bytes(range(32))
    iv = bytes(range(0xF0, 0x100))
    signer = Ed25519PrivateKey.from_private_bytes(bytes([0x42] * 32))
    public = signer.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    key_id = __import__("hashlib").sha256(public).digest()[:8].hex()
    cases = []
    for length in [0, 1, 16, 1000, CHUNK, CHUNK + 1, 3 * CHUNK + 5]:
        plaintext = bytes(i % 251 for i in range(length))
        encryptor = Cipher(algorithms.AES(data_key), modes.CTR(iv)).encryptor()
        ciphertext = encryptor.update(plaintext) + encryptor.finalize()
        t = tag(data_key, iv, ciphertext)
        anywhere = signer.sign(signed_message(t))
        named = signer.sign(signed_message(t, ("records", "2026/patients.parquet")))
        cases.append({
            "plaintext_len": length,
            "ciphertext_sha256": __import__("hashlib").sha256(ciphertext).hexdigest(),
            "tag_header": "v1:" + base64.b64encode(t).decode(),
            "sig_header_anywhere": "v1:%s:a:%s" % (key_id, base64.b64encode(anywhere).decode()),
            "sig_header_named": "v1:%s:n:%s" % (key_id, base64.b64encode(named).decode()),
        })
    print(json.dumps({
        "description": "oss-cse authentication tag v1 and Ed25519 signature vectors (docs/format.md); "
                       "plaintext is i % 251, encrypted with AES-256-CTR under data_key and iv; "
                       "written by interop/auth_tag_reference.py (Python cryptography + blake3)",
        "data_key_hex": data_key.hex(),
        "iv_hex": iv.hex(),
        "mac_key_hex": mac_key(data_key).hex(),
        "signing_key_pkcs8_pem": signer.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                                      serialization.NoEncryption()).decode(),
        "verifying_key_spki_pem": signer.public_key().public_bytes(serialization.Encoding.PEM,
                                                                   serialization.PublicFormat.SubjectPublicKeyInfo).decode(),
        "signed_name": {"bucket": "records", "key": "2026/patients.parquet"},
        "cases": cases,
    }, indent=2))


main()
