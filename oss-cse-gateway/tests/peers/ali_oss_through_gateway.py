"""ali-oss (Node) through the gateway, oss2's CryptoBucket straight to the emulator behind it: CryptoBucket writes
an object ali-oss reads through the gateway, then everything ali-oss wrote is read by CryptoBucket, and the stored
bytes are ciphertext."""

import os
import subprocess
import sys

from peer_env import data, direct, raw

direct.put_object("py/by-crypto-bucket", data(70000, 3))
script = os.path.join(os.path.dirname(os.path.abspath(__file__)), "ali_oss_through_gateway.js")
node = subprocess.run(["node", script], capture_output=True, text=True, timeout=300)
if node.returncode != 0 or "ok" not in node.stdout:
    sys.exit(f"ali-oss failed:\n{node.stdout}\n{node.stderr}")

for key, plaintext in [("js/small.txt", data(1000, 1)), ("js/multipart.bin", data(1536 * 1024 + 7, 2)),
                       ("js/streamed.bin", data(300 * 1024, 3)), ("js/v4.bin", data(200 * 1024, 4))]:
    assert direct.get_object(key).read() == plaintext, f"CryptoBucket reads {key}"
    stored = raw.get_object(key).read()
    assert len(stored) == len(plaintext) and stored != plaintext, f"{key} is ciphertext on OSS"
head = raw.head_object("js/multipart.bin").headers
assert head.get("x-oss-meta-client-side-encryption-part-size") == str(256 * 1024), "ali-oss's parts kept"
for refused in ["js/log", "js/forged", "js/copy.txt", "js/gone.txt"]:
    assert not raw.object_exists(refused), refused
print("ok")
