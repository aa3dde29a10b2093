
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'oss-cse' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'oss-cse'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'oss-cse' {
            [CompletionResult]::new('--endpoint', '--endpoint', [CompletionResultType]::ParameterName, 'endpoint')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'region')
            [CompletionResult]::new('--proxy', '--proxy', [CompletionResultType]::ParameterName, 'proxy')
            [CompletionResult]::new('--ca-bundle', '--ca-bundle', [CompletionResultType]::ParameterName, 'ca-bundle')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'profile')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print results as JSON (and errors as JSON on stderr)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More logging (-v one line per request, -vv debug); logs never contain secrets')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More logging (-v one line per request, -vv debug); logs never contain secrets')
            [CompletionResult]::new('--internal', '--internal', [CompletionResultType]::ParameterName, 'internal')
            [CompletionResult]::new('--path-style', '--path-style', [CompletionResultType]::ParameterName, 'path-style')
            [CompletionResult]::new('--cname', '--cname', [CompletionResultType]::ParameterName, 'cname')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('demo', 'demo', [CompletionResultType]::ParameterValue, 'Run the whole job against an embedded emulator: no account needed')
            [CompletionResult]::new('cp', 'cp', [CompletionResultType]::ParameterValue, 'Copy a local file (or - for stdin) to oss://bucket/key encrypting it, or back decrypting it; with -r a whole directory to a prefix, or a prefix''s objects into a directory')
            [CompletionResult]::new('cat', 'cat', [CompletionResultType]::ParameterValue, 'Print an object''s decrypted content')
            [CompletionResult]::new('stat', 'stat', [CompletionResultType]::ParameterValue, 'Show an object''s encryption: format, algorithms, matdesc, sizes, SSE (no secrets)')
            [CompletionResult]::new('ls', 'ls', [CompletionResultType]::ParameterValue, 'List buckets (oss://), or a prefix''s directories and objects (-r: all objects under it), or its unfinished multipart uploads (--multipart)')
            [CompletionResult]::new('rm', 'rm', [CompletionResultType]::ParameterValue, 'Remove an object, every object under a prefix (-r), or unfinished multipart uploads (--multipart)')
            [CompletionResult]::new('sync', 'sync', [CompletionResultType]::ParameterValue, 'Make a destination match a source: a local directory and an OSS prefix, either way. Only what changed moves (size, and a modification time kept as user metadata on upload and set on download); --delete also removes what the source no longer has')
            [CompletionResult]::new('mb', 'mb', [CompletionResultType]::ParameterValue, 'Create a bucket')
            [CompletionResult]::new('rewrap', 'rewrap', [CompletionResultType]::ParameterValue, 'Re-wrap an object''s data key under a new master key, without re-encrypting it')
            [CompletionResult]::new('encrypt', 'encrypt', [CompletionResultType]::ParameterValue, 'Encrypt a local file offline; the envelope goes to a JSON file of x-oss-meta-* headers')
            [CompletionResult]::new('decrypt', 'decrypt', [CompletionResultType]::ParameterValue, 'Decrypt a ciphertext fetched by any tool, given its x-oss-meta-* headers as JSON')
            [CompletionResult]::new('keygen', 'keygen', [CompletionResultType]::ParameterValue, 'Generate an RSA key pair (PEM; the private key file is mode 0600)')
            [CompletionResult]::new('sse', 'sse', [CompletionResultType]::ParameterValue, 'Server-side encryption settings of a bucket, and encrypting existing objects in place')
            [CompletionResult]::new('config', 'config', [CompletionResultType]::ParameterValue, 'Show the settings a command would use and where each comes from: endpoint, region, signing, proxy, and which credential source is used (never a secret)')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script: bash, zsh, fish, elvish or powershell (e.g. `oss-cse completions bash > /etc/bash_completion.d/oss-cse`)')
            [CompletionResult]::new('man', 'man', [CompletionResultType]::ParameterValue, 'Print the man page (roff)')
            [CompletionResult]::new('gateway', 'gateway', [CompletionResultType]::ParameterValue, 'Serve an OSS-compatible endpoint that encrypts on the way in and decrypts on the way out, until interrupted')
            [CompletionResult]::new('emulator', 'emulator', [CompletionResultType]::ParameterValue, 'Run the local OSS + KMS emulator until interrupted')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'oss-cse;demo' {
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'No progress bars')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print results as JSON (and errors as JSON on stderr)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More logging (-v one line per request, -vv debug); logs never contain secrets')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More logging (-v one line per request, -vv debug); logs never contain secrets')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'oss-cse;cp' {
            [CompletionResult]::new('--multipart-threshold', '--multipart-threshold', [CompletionResultType]::ParameterName, 'Files above this size are uploaded in parallel parts (bytes, or with K/M/G)')
            [CompletionResult]::new('--part-size', '--part-size', [CompletionResultType]::ParameterName, 'Part size of multipart transfers (a multiple of 16)')
            [CompletionResult]::new('--copy-limit', '--copy-limit', [CompletionResultType]::ParameterName, 'From oss:// to oss://: objects above this size are copied by downloading and uploading their stored bytes again (OSS''s CopyObject copies up to 1 GB, and refuses UploadPartCopy from an encrypted object); the default is 10^9 bytes')
            [CompletionResult]::new('--sse', '--sse', [CompletionResultType]::ParameterName, 'Server-side encryption on top: AES256, SM4 or KMS')
            [CompletionResult]::new('--sse-key-id', '--sse-key-id', [CompletionResultType]::ParameterName, 'KMS key for --sse KMS')
            [CompletionResult]::new('--range', '--range', [CompletionResultType]::ParameterName, 'Download only these bytes: START-END, START- or -LENGTH. A range is decrypted without any integrity check (the format has no MAC, and the object''s CRC-64 and MD5 cover only whole objects)')
            [CompletionResult]::new('--expected-size', '--expected-size', [CompletionResultType]::ParameterName, 'With `-` as the source: the number of bytes stdin must deliver. A stream that ends early or runs on is refused before the upload completes. Without it, a producer that dies mid-pipe leaves a truncated object unless the shell runs with `set -o pipefail` and the caller checks the pipeline''s status')
            [CompletionResult]::new('--content-type', '--content-type', [CompletionResultType]::ParameterName, 'Content-Type of the uploaded object')
            [CompletionResult]::new('--meta', '--meta', [CompletionResultType]::ParameterName, 'User metadata KEY=VALUE (stored as x-oss-meta-KEY; repeatable)')
            [CompletionResult]::new('--rsa-public-key', '--rsa-public-key', [CompletionResultType]::ParameterName, 'RSA public key (PEM) to encrypt with')
            [CompletionResult]::new('--rsa-private-key', '--rsa-private-key', [CompletionResultType]::ParameterName, 'RSA private key (PEM) to decrypt with')
            [CompletionResult]::new('--matdesc', '--matdesc', [CompletionResultType]::ParameterName, 'Material description of the encrypting key, a JSON object of strings')
            [CompletionResult]::new('--decrypt-key', '--decrypt-key', [CompletionResultType]::ParameterName, 'A further private key that only decrypts, with its material description (repeatable)')
            [CompletionResult]::new('--kms-key-id', '--kms-key-id', [CompletionResultType]::ParameterName, 'KMS CMK to encrypt with, instead of an RSA key')
            [CompletionResult]::new('--kms-region', '--kms-region', [CompletionResultType]::ParameterName, 'Region of the KMS endpoint (`kms.<region>.aliyuncs.com`)')
            [CompletionResult]::new('--kms-endpoint', '--kms-endpoint', [CompletionResultType]::ParameterName, 'Any KMS endpoint URL (a dedicated instance, or an emulator)')
            [CompletionResult]::new('--compat', '--compat', [CompletionResultType]::ParameterName, 'Which SDK family new envelopes are written for: oss2 (the default: read by oss2, py-v2, Java, C++), py-v2 (the same readers), go (Go v1 and v2, which match the matdesc as raw text, and all the others), java, or cpp. Sets the matdesc text style and the KMS layout (oss2''s for oss2, the Go/Java layout for go and java); py-v2 and cpp have no KMS master key, so a KMS key with them is refused. Objects without a matdesc are read by every SDK whatever the choice')
            [CompletionResult]::new('--kms-signature', '--kms-signature', [CompletionResultType]::ParameterName, 'How KMS requests are signed: v3 (ACS3-HMAC-SHA256), or rpc (the discontinued HMAC-SHA1 method, for private endpoints that still want it)')
            [CompletionResult]::new('--keyring', '--keyring', [CompletionResultType]::ParameterName, 'A TOML key ring file holding the same (see the README)')
            [CompletionResult]::new('--jobs', '--jobs', [CompletionResultType]::ParameterName, 'Objects in flight at once (bulk commands). For a single-object `cp` it still means parts in flight, as before `--parallel`: deprecated there, and going away in the next release')
            [CompletionResult]::new('--parallel', '--parallel', [CompletionResultType]::ParameterName, 'Parts (or ranges) in flight per object')
            [CompletionResult]::new('--resume', '--resume', [CompletionResultType]::ParameterName, 'Keep checkpoints and the job journal in this directory: a rerun of the same command resumes, sending no object the journal records as done and continuing the transfers that were in flight')
            [CompletionResult]::new('--include', '--include', [CompletionResultType]::ParameterName, 'Only paths (relative to the source) matching this glob (repeatable)')
            [CompletionResult]::new('--exclude', '--exclude', [CompletionResultType]::ParameterName, 'Leave out paths (relative to the source) matching this glob (repeatable)')
            [CompletionResult]::new('--manifest', '--manifest', [CompletionResultType]::ParameterName, 'Take the object keys from this file instead of a listing: an OSS Inventory report''s manifest.json (its CSV.gz data files are read from the inventory''s bucket, MD5-checked), or one key per line (`#` comments)')
            [CompletionResult]::new('--shard', '--shard', [CompletionResultType]::ParameterName, 'Only the keys of shard I of N (a stable hash of the key), so that N processes (an array job) share the work; `/N` takes I from JOB_COMPLETION_INDEX (Kubernetes Indexed Jobs). Each shard keeps its own journal')
            [CompletionResult]::new('--endpoint', '--endpoint', [CompletionResultType]::ParameterName, 'OSS endpoint, e.g. https://oss-cn-hangzhou.aliyuncs.com')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'OSS region (enables V4 signing), e.g. cn-hangzhou; without --endpoint it names the region''s public endpoint (VPC endpoint with --internal)')
            [CompletionResult]::new('--proxy', '--proxy', [CompletionResultType]::ParameterName, 'Proxy for OSS and KMS requests (http://host:port). Without it HTTPS_PROXY, HTTP_PROXY, ALL_PROXY and NO_PROXY are honoured; endpoints on this machine are always reached directly')
            [CompletionResult]::new('--ca-bundle', '--ca-bundle', [CompletionResultType]::ParameterName, 'Trust the CA certificates in this PEM file too (a private endpoint, a TLS-inspecting proxy)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Use this profile of ~/.aliyun/config.json, ~/.alibabacloud/credentials or ~/.ossutilconfig (ALIBABA_CLOUD_PROFILE names one too, after any keys in the environment)')
            [CompletionResult]::new('--sign-key', '--sign-key', [CompletionResultType]::ParameterName, 'Uploads: sign the tag with this Ed25519 private key (PKCS#8 PEM, as `openssl genpkey -algorithm ed25519` writes); implies --authenticate')
            [CompletionResult]::new('--trusted-signer', '--trusted-signer', [CompletionResultType]::ParameterName, 'Downloads: refuse objects not signed by this Ed25519 public key (SPKI PEM); repeat for several writers. Implies --require-authenticated')
            [CompletionResult]::new('-r', '-r', [CompletionResultType]::ParameterName, 'A whole tree: a directory to a prefix, or a prefix to a directory. Object keys that would land outside the directory (`..`, absolute, NUL) are refused and reported; the others go on')
            [CompletionResult]::new('--recursive', '--recursive', [CompletionResultType]::ParameterName, 'A whole tree: a directory to a prefix, or a prefix to a directory. Object keys that would land outside the directory (`..`, absolute, NUL) are refused and reported; the others go on')
            [CompletionResult]::new('--no-clobber', '--no-clobber', [CompletionResultType]::ParameterName, 'Never overwrite an existing destination (file or object): a download onto a file is skipped, an upload or copy onto an object refused by OSS (FileAlreadyExists); with -r the ones skipped are reported')
            [CompletionResult]::new('--md5', '--md5', [CompletionResultType]::ParameterName, 'Record the plaintext''s MD5 in the envelope (the SDKs'' unencrypted-content-md5), checked by every whole download. A file is read twice; stdin is encrypted into a temporary ciphertext spool first (no plaintext touches the disk)')
            [CompletionResult]::new('--v1', '--v1', [CompletionResultType]::ParameterName, 'Write envelope format V1 (for oss2 2.5-2.10 readers)')
            [CompletionResult]::new('--kms-go-java-layout', '--kms-go-java-layout', [CompletionResultType]::ParameterName, 'Write the Go/Java SDKs'' KMS layout instead of oss2''s (the KMS half of `--compat go` or `--compat java`)')
            [CompletionResult]::new('--strict-matdesc', '--strict-matdesc', [CompletionResultType]::ParameterName, 'Try only the keys whose material description matches the object''s exactly. By default the matdesc is a hint: matching keys first, then every other key (one error if none opens the object)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Say what would be done (objects and bytes) and change nothing')
            [CompletionResult]::new('--internal', '--internal', [CompletionResultType]::ParameterName, 'With --region and no --endpoint: the region''s VPC endpoint (oss-<region>-internal.aliyuncs.com), for ECS instances')
            [CompletionResult]::new('--path-style', '--path-style', [CompletionResultType]::ParameterName, 'Address buckets in the path (https://endpoint/bucket/key) instead of the host name')
            [CompletionResult]::new('--cname', '--cname', [CompletionResultType]::ParameterName, 'The endpoint is a CNAME bound to the bucket (https://cname/key)')
            [CompletionResult]::new('--allow-plaintext', '--allow-plaintext', [CompletionResultType]::ParameterName, 'Return objects that are not client-side encrypted as they are, instead of refusing them')
            [CompletionResult]::new('--require-verified', '--require-verified', [CompletionResultType]::ParameterName, 'Refuse a whole download that nothing can verify (no CRC-64 from the server, no MD5 in the envelope) instead of warning')
            [CompletionResult]::new('--authenticate', '--authenticate', [CompletionResultType]::ParameterName, 'Uploads: write an authentication tag (a keyed BLAKE3 MAC of the ciphertext and IV, under a key derived from the data key) that the official SDKs ignore. A file is read twice; stdin goes through the ciphertext spool')
            [CompletionResult]::new('--require-authenticated', '--require-authenticated', [CompletionResultType]::ParameterName, 'Downloads: refuse objects without an authentication tag (tags are always checked when present, on whole downloads)')
            [CompletionResult]::new('--sign-name', '--sign-name', [CompletionResultType]::ParameterName, 'With --sign-key: the signature also covers the bucket and key, so a copy or rename no longer verifies')
            [CompletionResult]::new('--require-signed-name', '--require-signed-name', [CompletionResultType]::ParameterName, 'With --trusted-signer: refuse a signature that does not cover the object''s bucket and key (written with --sign-name), so a signed object copied elsewhere in the bucket is not taken as genuine there')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'No progress bars')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print results as JSON (and errors as JSON on stderr)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More logging (-v one line per request, -vv debug); logs never contain secrets')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More logging (-v one line per request, -vv debug); logs never contain secrets')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'oss-cse;cat' {
            [CompletionResult]::new('--range', '--range', [CompletionResultType]::ParameterName, 'Only these bytes: START-END, START- or -LENGTH. A range is never verified: the object''s CRC-64 and MD5 cover only whole objects')
            [CompletionResult]::new('--rsa-public-key', '--rsa-public-key', [CompletionResultType]::ParameterName, 'RSA public key (PEM) to encrypt with')
            [CompletionResult]::new('--rsa-private-key', '--rsa-private-key', [CompletionResultType]::ParameterName, 'RSA private key (PEM) to decrypt with')
            [CompletionResult]::new('--matdesc', '--matdesc', [CompletionResultType]::ParameterName, 'Material description of the encrypting key, a JSON object of strings')
            [CompletionResult]::new('--decrypt-key', '--decrypt-key', [CompletionResultType]::ParameterName, 'A further private key that only decrypts, with its material description (repeatable)')
            [CompletionResult]::new('--kms-key-id', '--kms-key-id', [CompletionResultType]::ParameterName, 'KMS CMK to encrypt with, instead of an RSA key')
            [CompletionResult]::new('--kms-region', '--kms-region', [CompletionResultType]::ParameterName, 'Region of the KMS endpoint (`kms.<region>.aliyuncs.com`)')
            [CompletionResult]::new('--kms-endpoint', '--kms-endpoint', [CompletionResultType]::ParameterName, 'Any KMS endpoint URL (a dedicated instance, or an emulator)')
            [CompletionResult]::new('--compat', '--compat', [CompletionResultType]::ParameterName, 'Which SDK family new envelopes are written for: oss2 (the default: read by oss2, py-v2, Java, C++), py-v2 (the same readers), go (Go v1 and v2, which match the matdesc as raw text, and all the others), java, or cpp. Sets the matdesc text style and the KMS layout (oss2''s for oss2, the Go/Java layout for go and java); py-v2 and cpp have no KMS master key, so a KMS key with them is refused. Objects without a matdesc are read by every SDK whatever the choice')
            [CompletionResult]::new('--kms-signature', '--kms-signature', [CompletionResultType]::ParameterName, 'How KMS requests are signed: v3 (ACS3-HMAC-SHA256), or rpc (the discontinued HMAC-SHA1 method, for private endpoints that still want it)')
            [CompletionResult]::new('--keyring', '--keyring', [CompletionResultType]::ParameterName, 'A TOML key ring file holding the same (see the README)')
            [CompletionResult]::new('--endpoint', '--endpoint', [CompletionResultType]::ParameterName, 'OSS endpoint, e.g. https://oss-cn-hangzhou.aliyuncs.com')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'OSS region (enables V4 signing), e.g. cn-hangzhou; without --endpoint it names the region''s public endpoint (VPC endpoint with --internal)')
            [CompletionResult]::new('--proxy', '--proxy', [CompletionResultType]::ParameterName, 'Proxy for OSS and KMS requests (http://host:port). Without it HTTPS_PROXY, HTTP_PROXY, ALL_PROXY and NO_PROXY are honoured; endpoints on this machine are always reached directly')
            [CompletionResult]::new('--ca-bundle', '--ca-bundle', [CompletionResultType]::ParameterName, 'Trust the CA certificates in this PEM file too (a private endpoint, a TLS-inspecting proxy)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Use this profile of ~/.aliyun/config.json, ~/.alibabacloud/credentials or ~/.ossutilconfig (ALIBABA_CLOUD_PROFILE names one too, after any keys in the environment)')
            [CompletionResult]::new('--sign-key', '--sign-key', [CompletionResultType]::ParameterName, 'Uploads: sign the tag with this Ed25519 private key (PKCS#8 PEM, as `openssl genpkey -algorithm ed25519` writes); implies --authenticate')
            [CompletionResult]::new('--trusted-signer', '--trusted-signer', [CompletionResultType]::ParameterName, 'Downloads: refuse objects not signed by this Ed25519 public key (SPKI PEM); repeat for several writers. Implies --require-authenticated')
            [CompletionResult]::new('--kms-go-java-layout', '--kms-go-java-layout', [CompletionResultType]::ParameterName, 'Write the Go/Java SDKs'' KMS layout instead of oss2''s (the KMS half of `--compat go` or `--compat java`)')
            [CompletionResult]::new('--strict-matdesc', '--strict-matdesc', [CompletionResultType]::ParameterName, 'Try only the keys whose material description matches the object''s exactly. By default the matdesc is a hint: matching keys first, then every other key (one error if none opens the object)')
            [CompletionResult]::new('--internal', '--internal', [CompletionResultType]::ParameterName, 'With --region and no --endpoint: the region''s VPC endpoint (oss-<region>-internal.aliyuncs.com), for ECS instances')
            [CompletionResult]::new('--path-style', '--path-style', [CompletionResultType]::ParameterName, 'Address buckets in the path (https://endpoint/bucket/key) instead of the host name')
            [CompletionResult]::new('--cname', '--cname', [CompletionResultType]::ParameterName, 'The endpoint is a CNAME bound to the bucket (https://cname/key)')
            [CompletionResult]::new('--allow-plaintext', '--allow-plaintext', [CompletionResultType]::ParameterName, 'Return objects that are not client-side encrypted as they are, instead of refusing them')
            [CompletionResult]::new('--require-verified', '--require-verified', [CompletionResultType]::ParameterName, 'Refuse a whole download that nothing can verify (no CRC-64 from the server, no MD5 in the envelope) instead of warning')
            [CompletionResult]::new('--authenticate', '--authenticate', [CompletionResultType]::ParameterName, 'Uploads: write an authentication tag (a keyed BLAKE3 MAC of the ciphertext and IV, under a key derived from the data key) that the official SDKs ignore. A file is read twice; stdin goes through the ciphertext spool')
            [CompletionResult]::new('--require-authenticated', '--require-authenticated', [CompletionResultType]::ParameterName, 'Downloads: refuse objects without an authentication tag (tags are always checked when present, on whole downloads)')
            [CompletionResult]::new('--sign-name', '--sign-name', [CompletionResultType]::ParameterName, 'With --sign-key: the signature also covers the bucket and key, so a copy or rename no longer verifies')
            [CompletionResult]::new('--require-signed-name', '--require-signed-name', [CompletionResultType]::ParameterName, 'With --trusted-signer: refuse a signature that does not cover the object''s bucket and key (written with --sign-name), so a signed object copied elsewhere in the bucket is not taken as genuine there')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print results as JSON (and errors as JSON on stderr)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More logging (-v one line per request, -vv debug); logs never contain secrets')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More logging (-v one line per request, -vv debug); logs never contain secrets')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'oss-cse;stat' {
            [CompletionResult]::new('--endpoint', '--endpoint', [CompletionResultType]::ParameterName, 'OSS endpoint, e.g. https://oss-cn-hangzhou.aliyuncs.com')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'OSS region (enables V4 signing), e.g. cn-hangzhou; without --endpoint it names the region''s public endpoint (VPC endpoint with --internal)')
            [CompletionResult]::new('--proxy', '--proxy', [CompletionResultType]::ParameterName, 'Proxy for OSS and KMS requests (http://host:port). Without it HTTPS_PROXY, HTTP_PROXY, ALL_PROXY and NO_PROXY are honoured; endpoints on this machine are always reached directly')
            [CompletionResult]::new('--ca-bundle', '--ca-bundle', [CompletionResultType]::ParameterName, 'Trust the CA certificates in this PEM file too (a private endpoint, a TLS-inspecting proxy)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Use this profile of ~/.aliyun/config.json, ~/.alibabacloud/credentials or ~/.ossutilconfig (ALIBABA_CLOUD_PROFILE names one too, after any keys in the environment)')
            [CompletionResult]::new('--internal', '--internal', [CompletionResultType]::ParameterName, 'With --region and no --endpoint: the region''s VPC endpoint (oss-<region>-internal.aliyuncs.com), for ECS instances')
            [CompletionResult]::new('--path-style', '--path-style', [CompletionResultType]::ParameterName, 'Address buckets in the path (https://endpoint/bucket/key) instead of the host name')
            [CompletionResult]::new('--cname', '--cname', [CompletionResultType]::ParameterName, 'The endpoint is a CNAME bound to the bucket (https://cname/key)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print results as JSON (and errors as JSON on stderr)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More logging (-v one line per request, -vv debug); logs never contain secrets')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More logging (-v one line per request, -vv debug); logs never contain secrets')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'oss-cse;ls' {
            [CompletionResult]::new('--jobs', '--jobs', [CompletionResultType]::ParameterName, 'HEAD requests in flight with --envelope')
            [CompletionResult]::new('--endpoint', '--endpoint', [CompletionResultType]::ParameterName, 'OSS endpoint, e.g. https://oss-cn-hangzhou.aliyuncs.com')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'OSS region (enables V4 signing), e.g. cn-hangzhou; without --endpoint it names the region''s public endpoint (VPC endpoint with --internal)')
            [CompletionResult]::new('--proxy', '--proxy', [CompletionResultType]::ParameterName, 'Proxy for OSS and KMS requests (http://host:port). Without it HTTPS_PROXY, HTTP_PROXY, ALL_PROXY and NO_PROXY are honoured; endpoints on this machine are always reached directly')
            [CompletionResult]::new('--ca-bundle', '--ca-bundle', [CompletionResultType]::ParameterName, 'Trust the CA certificates in this PEM file too (a private endpoint, a TLS-inspecting proxy)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Use this profile of ~/.aliyun/config.json, ~/.alibabacloud/credentials or ~/.ossutilconfig (ALIBABA_CLOUD_PROFILE names one too, after any keys in the environment)')
            [CompletionResult]::new('-r', '-r', [CompletionResultType]::ParameterName, 'Everything under the prefix, not only its first level')
            [CompletionResult]::new('--recursive', '--recursive', [CompletionResultType]::ParameterName, 'Everything under the prefix, not only its first level')
            [CompletionResult]::new('-l', '-l', [CompletionResultType]::ParameterName, 'Named columns, with each object''s storage class, type and ETag (all from the listing: no request per object)')
            [CompletionResult]::new('--long', '--long', [CompletionResultType]::ParameterName, 'Named columns, with each object''s storage class, type and ETag (all from the listing: no request per object)')
            [CompletionResult]::new('--envelope', '--envelope', [CompletionResultType]::ParameterName, 'Also whether each object is client-side encrypted, with which wrap algorithm and matdesc: one HEAD per object, --jobs at a time')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Sizes in KiB, MiB, GiB')
            [CompletionResult]::new('--human', '--human', [CompletionResultType]::ParameterName, 'Sizes in KiB, MiB, GiB')
            [CompletionResult]::new('--multipart', '--multipart', [CompletionResultType]::ParameterName, 'Unfinished multipart uploads under the prefix instead of objects')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--internal', '--internal', [CompletionResultType]::ParameterName, 'With --region and no --endpoint: the region''s VPC endpoint (oss-<region>-internal.aliyuncs.com), for ECS instances')
            [CompletionResult]::new('--path-style', '--path-style', [CompletionResultType]::ParameterName, 'Address buckets in the path (https://endpoint/bucket/key) instead of the host name')
            [CompletionResult]::new('--cname', '--cname', [CompletionResultType]::ParameterName, 'The endpoint is a CNAME bound to the bucket (https://cname/key)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print results as JSON (and errors as JSON on stderr)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More logging (-v one line per request, -vv debug); logs never contain secrets')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More logging (-v one line per request, -vv debug); logs never contain secrets')
            break
        }
        'oss-cse;rm' {
            [CompletionResult]::new('--older-than', '--older-than', [CompletionResultType]::ParameterName, 'With --multipart: only uploads started longer ago than this (e.g. 7d, 12h, 30m)')
            [CompletionResult]::new('--jobs', '--jobs', [CompletionResultType]::ParameterName, 'Objects in flight at once (bulk commands). For a single-object `cp` it still means parts in flight, as before `--parallel`: deprecated there, and going away in the next release')
            [CompletionResult]::new('--parallel', '--parallel', [CompletionResultType]::ParameterName, 'Parts (or ranges) in flight per object')
            [CompletionResult]::new('--resume', '--resume', [CompletionResultType]::ParameterName, 'Keep checkpoints and the job journal in this directory: a rerun of the same command resumes, sending no object the journal records as done and continuing the transfers that were in flight')
            [CompletionResult]::new('--include', '--include', [CompletionResultType]::ParameterName, 'Only paths (relative to the source) matching this glob (repeatable)')
            [CompletionResult]::new('--exclude', '--exclude', [CompletionResultType]::ParameterName, 'Leave out paths (relative to the source) matching this glob (repeatable)')
            [CompletionResult]::new('--manifest', '--manifest', [CompletionResultType]::ParameterName, 'Take the object keys from this file instead of a listing: an OSS Inventory report''s manifest.json (its CSV.gz data files are read from the inventory''s bucket, MD5-checked), or one key per line (`#` comments)')
            [CompletionResult]::new('--shard', '--shard', [CompletionResultType]::ParameterName, 'Only the keys of shard I of N (a stable hash of the key), so that N processes (an array job) share the work; `/N` takes I from JOB_COMPLETION_INDEX (Kubernetes Indexed Jobs). Each shard keeps its own journal')
            [CompletionResult]::new('--endpoint', '--endpoint', [CompletionResultType]::ParameterName, 'OSS endpoint, e.g. https://oss-cn-hangzhou.aliyuncs.com')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'OSS region (enables V4 signing), e.g. cn-hangzhou; without --endpoint it names the region''s public endpoint (VPC endpoint with --internal)')
            [CompletionResult]::new('--proxy', '--proxy', [CompletionResultType]::ParameterName, 'Proxy for OSS and KMS requests (http://host:port). Without it HTTPS_PROXY, HTTP_PROXY, ALL_PROXY and NO_PROXY are honoured; endpoints on this machine are always reached directly')
            [CompletionResult]::new('--ca-bundle', '--ca-bundle', [CompletionResultType]::ParameterName, 'Trust the CA certificates in this PEM file too (a private endpoint, a TLS-inspecting proxy)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Use this profile of ~/.aliyun/config.json, ~/.alibabacloud/credentials or ~/.ossutilconfig (ALIBABA_CLOUD_PROFILE names one too, after any keys in the environment)')
            [CompletionResult]::new('-r', '-r', [CompletionResultType]::ParameterName, 'Every object under the prefix')
            [CompletionResult]::new('--recursive', '--recursive', [CompletionResultType]::ParameterName, 'Every object under the prefix')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Allow -r on a whole bucket (oss://bucket or oss://bucket/)')
            [CompletionResult]::new('--multipart', '--multipart', [CompletionResultType]::ParameterName, 'Abort unfinished multipart uploads under the prefix instead of deleting objects (all, or those older than --older-than)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Say what would be done (objects and bytes) and change nothing')
            [CompletionResult]::new('--internal', '--internal', [CompletionResultType]::ParameterName, 'With --region and no --endpoint: the region''s VPC endpoint (oss-<region>-internal.aliyuncs.com), for ECS instances')
            [CompletionResult]::new('--path-style', '--path-style', [CompletionResultType]::ParameterName, 'Address buckets in the path (https://endpoint/bucket/key) instead of the host name')
            [CompletionResult]::new('--cname', '--cname', [CompletionResultType]::ParameterName, 'The endpoint is a CNAME bound to the bucket (https://cname/key)')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'No progress bars')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print results as JSON (and errors as JSON on stderr)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More logging (-v one line per request, -vv debug); logs never contain secrets')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More logging (-v one line per request, -vv debug); logs never contain secrets')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'oss-cse;sync' {
            [CompletionResult]::new('--multipart-threshold', '--multipart-threshold', [CompletionResultType]::ParameterName, 'Files above this size go up in parallel parts')
            [CompletionResult]::new('--part-size', '--part-size', [CompletionResultType]::ParameterName, 'Part size of multipart transfers (a multiple of 16)')
            [CompletionResult]::new('--rsa-public-key', '--rsa-public-key', [CompletionResultType]::ParameterName, 'RSA public key (PEM) to encrypt with')
            [CompletionResult]::new('--rsa-private-key', '--rsa-private-key', [CompletionResultType]::ParameterName, 'RSA private key (PEM) to decrypt with')
            [CompletionResult]::new('--matdesc', '--matdesc', [CompletionResultType]::ParameterName, 'Material description of the encrypting key, a JSON object of strings')
            [CompletionResult]::new('--decrypt-key', '--decrypt-key', [CompletionResultType]::ParameterName, 'A further private key that only decrypts, with its material description (repeatable)')
            [CompletionResult]::new('--kms-key-id', '--kms-key-id', [CompletionResultType]::ParameterName, 'KMS CMK to encrypt with, instead of an RSA key')
            [CompletionResult]::new('--kms-region', '--kms-region', [CompletionResultType]::ParameterName, 'Region of the KMS endpoint (`kms.<region>.aliyuncs.com`)')
            [CompletionResult]::new('--kms-endpoint', '--kms-endpoint', [CompletionResultType]::ParameterName, 'Any KMS endpoint URL (a dedicated instance, or an emulator)')
            [CompletionResult]::new('--compat', '--compat', [CompletionResultType]::ParameterName, 'Which SDK family new envelopes are written for: oss2 (the default: read by oss2, py-v2, Java, C++), py-v2 (the same readers), go (Go v1 and v2, which match the matdesc as raw text, and all the others), java, or cpp. Sets the matdesc text style and the KMS layout (oss2''s for oss2, the Go/Java layout for go and java); py-v2 and cpp have no KMS master key, so a KMS key with them is refused. Objects without a matdesc are read by every SDK whatever the choice')
            [CompletionResult]::new('--kms-signature', '--kms-signature', [CompletionResultType]::ParameterName, 'How KMS requests are signed: v3 (ACS3-HMAC-SHA256), or rpc (the discontinued HMAC-SHA1 method, for private endpoints that still want it)')
            [CompletionResult]::new('--keyring', '--keyring', [CompletionResultType]::ParameterName, 'A TOML key ring file holding the same (see the README)')
            [CompletionResult]::new('--jobs', '--jobs', [CompletionResultType]::ParameterName, 'Objects in flight at once (bulk commands). For a single-object `cp` it still means parts in flight, as before `--parallel`: deprecated there, and going away in the next release')
            [CompletionResult]::new('--parallel', '--parallel', [CompletionResultType]::ParameterName, 'Parts (or ranges) in flight per object')
            [CompletionResult]::new('--resume', '--resume', [CompletionResultType]::ParameterName, 'Keep checkpoints and the job journal in this directory: a rerun of the same command resumes, sending no object the journal records as done and continuing the transfers that were in flight')
            [CompletionResult]::new('--include', '--include', [CompletionResultType]::ParameterName, 'Only paths (relative to the source) matching this glob (repeatable)')
            [CompletionResult]::new('--exclude', '--exclude', [CompletionResultType]::ParameterName, 'Leave out paths (relative to the source) matching this glob (repeatable)')
            [CompletionResult]::new('--manifest', '--manifest', [CompletionResultType]::ParameterName, 'Take the object keys from this file instead of a listing: an OSS Inventory report''s manifest.json (its CSV.gz data files are read from the inventory''s bucket, MD5-checked), or one key per line (`#` comments)')
            [CompletionResult]::new('--shard', '--shard', [CompletionResultType]::ParameterName, 'Only the keys of shard I of N (a stable hash of the key), so that N processes (an array job) share the work; `/N` takes I from JOB_COMPLETION_INDEX (Kubernetes Indexed Jobs). Each shard keeps its own journal')
            [CompletionResult]::new('--endpoint', '--endpoint', [CompletionResultType]::ParameterName, 'OSS endpoint, e.g. https://oss-cn-hangzhou.aliyuncs.com')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'OSS region (enables V4 signing), e.g. cn-hangzhou; without --endpoint it names the region''s public endpoint (VPC endpoint with --internal)')
            [CompletionResult]::new('--proxy', '--proxy', [CompletionResultType]::ParameterName, 'Proxy for OSS and KMS requests (http://host:port). Without it HTTPS_PROXY, HTTP_PROXY, ALL_PROXY and NO_PROXY are honoured; endpoints on this machine are always reached directly')
            [CompletionResult]::new('--ca-bundle', '--ca-bundle', [CompletionResultType]::ParameterName, 'Trust the CA certificates in this PEM file too (a private endpoint, a TLS-inspecting proxy)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Use this profile of ~/.aliyun/config.json, ~/.alibabacloud/credentials or ~/.ossutilconfig (ALIBABA_CLOUD_PROFILE names one too, after any keys in the environment)')
            [CompletionResult]::new('--sign-key', '--sign-key', [CompletionResultType]::ParameterName, 'Uploads: sign the tag with this Ed25519 private key (PKCS#8 PEM, as `openssl genpkey -algorithm ed25519` writes); implies --authenticate')
            [CompletionResult]::new('--trusted-signer', '--trusted-signer', [CompletionResultType]::ParameterName, 'Downloads: refuse objects not signed by this Ed25519 public key (SPKI PEM); repeat for several writers. Implies --require-authenticated')
            [CompletionResult]::new('--delete', '--delete', [CompletionResultType]::ParameterName, 'Also remove from the destination what the source no longer has (within --include/--exclude)')
            [CompletionResult]::new('--checksum', '--checksum', [CompletionResultType]::ParameterName, 'Compare contents, not only size and modification time (which miss a file rewritten within the same second at the same size): a file''s MD5 against the plaintext MD5 the object''s envelope records (which uploads of `sync --checksum` and `cp --md5` write), falling back to size and time for objects without one, as `rclone --checksum` does. Each file of the same size as its object is read once')
            [CompletionResult]::new('--kms-go-java-layout', '--kms-go-java-layout', [CompletionResultType]::ParameterName, 'Write the Go/Java SDKs'' KMS layout instead of oss2''s (the KMS half of `--compat go` or `--compat java`)')
            [CompletionResult]::new('--strict-matdesc', '--strict-matdesc', [CompletionResultType]::ParameterName, 'Try only the keys whose material description matches the object''s exactly. By default the matdesc is a hint: matching keys first, then every other key (one error if none opens the object)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Say what would be done (objects and bytes) and change nothing')
            [CompletionResult]::new('--internal', '--internal', [CompletionResultType]::ParameterName, 'With --region and no --endpoint: the region''s VPC endpoint (oss-<region>-internal.aliyuncs.com), for ECS instances')
            [CompletionResult]::new('--path-style', '--path-style', [CompletionResultType]::ParameterName, 'Address buckets in the path (https://endpoint/bucket/key) instead of the host name')
            [CompletionResult]::new('--cname', '--cname', [CompletionResultType]::ParameterName, 'The endpoint is a CNAME bound to the bucket (https://cname/key)')
            [CompletionResult]::new('--allow-plaintext', '--allow-plaintext', [CompletionResultType]::ParameterName, 'Return objects that are not client-side encrypted as they are, instead of refusing them')
            [CompletionResult]::new('--require-verified', '--require-verified', [CompletionResultType]::ParameterName, 'Refuse a whole download that nothing can verify (no CRC-64 from the server, no MD5 in the envelope) instead of warning')
            [CompletionResult]::new('--authenticate', '--authenticate', [CompletionResultType]::ParameterName, 'Uploads: write an authentication tag (a keyed BLAKE3 MAC of the ciphertext and IV, under a key derived from the data key) that the official SDKs ignore. A file is read twice; stdin goes through the ciphertext spool')
            [CompletionResult]::new('--require-authenticated', '--require-authenticated', [CompletionResultType]::ParameterName, 'Downloads: refuse objects without an authentication tag (tags are always checked when present, on whole downloads)')
            [CompletionResult]::new('--sign-name', '--sign-name', [CompletionResultType]::ParameterName, 'With --sign-key: the signature also covers the bucket and key, so a copy or rename no longer verifies')
            [CompletionResult]::new('--require-signed-name', '--require-signed-name', [CompletionResultType]::ParameterName, 'With --trusted-signer: refuse a signature that does not cover the object''s bucket and key (written with --sign-name), so a signed object copied elsewhere in the bucket is not taken as genuine there')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'No progress bars')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print results as JSON (and errors as JSON on stderr)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More logging (-v one line per request, -vv debug); logs never contain secrets')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More logging (-v one line per request, -vv debug); logs never contain secrets')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'oss-cse;mb' {
            [CompletionResult]::new('--endpoint', '--endpoint', [CompletionResultType]::ParameterName, 'OSS endpoint, e.g. https://oss-cn-hangzhou.aliyuncs.com')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'OSS region (enables V4 signing), e.g. cn-hangzhou; without --endpoint it names the region''s public endpoint (VPC endpoint with --internal)')
            [CompletionResult]::new('--proxy', '--proxy', [CompletionResultType]::ParameterName, 'Proxy for OSS and KMS requests (http://host:port). Without it HTTPS_PROXY, HTTP_PROXY, ALL_PROXY and NO_PROXY are honoured; endpoints on this machine are always reached directly')
            [CompletionResult]::new('--ca-bundle', '--ca-bundle', [CompletionResultType]::ParameterName, 'Trust the CA certificates in this PEM file too (a private endpoint, a TLS-inspecting proxy)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Use this profile of ~/.aliyun/config.json, ~/.alibabacloud/credentials or ~/.ossutilconfig (ALIBABA_CLOUD_PROFILE names one too, after any keys in the environment)')
            [CompletionResult]::new('--internal', '--internal', [CompletionResultType]::ParameterName, 'With --region and no --endpoint: the region''s VPC endpoint (oss-<region>-internal.aliyuncs.com), for ECS instances')
            [CompletionResult]::new('--path-style', '--path-style', [CompletionResultType]::ParameterName, 'Address buckets in the path (https://endpoint/bucket/key) instead of the host name')
            [CompletionResult]::new('--cname', '--cname', [CompletionResultType]::ParameterName, 'The endpoint is a CNAME bound to the bucket (https://cname/key)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print results as JSON (and errors as JSON on stderr)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More logging (-v one line per request, -vv debug); logs never contain secrets')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More logging (-v one line per request, -vv debug); logs never contain secrets')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'oss-cse;rewrap' {
            [CompletionResult]::new('--from-private-key', '--from-private-key', [CompletionResultType]::ParameterName, 'The key(s) that open the objects now')
            [CompletionResult]::new('--rsa-public-key', '--rsa-public-key', [CompletionResultType]::ParameterName, 'RSA public key (PEM) to encrypt with')
            [CompletionResult]::new('--rsa-private-key', '--rsa-private-key', [CompletionResultType]::ParameterName, 'RSA private key (PEM) to decrypt with')
            [CompletionResult]::new('--matdesc', '--matdesc', [CompletionResultType]::ParameterName, 'Material description of the encrypting key, a JSON object of strings')
            [CompletionResult]::new('--decrypt-key', '--decrypt-key', [CompletionResultType]::ParameterName, 'A further private key that only decrypts, with its material description (repeatable)')
            [CompletionResult]::new('--kms-key-id', '--kms-key-id', [CompletionResultType]::ParameterName, 'KMS CMK to encrypt with, instead of an RSA key')
            [CompletionResult]::new('--kms-region', '--kms-region', [CompletionResultType]::ParameterName, 'Region of the KMS endpoint (`kms.<region>.aliyuncs.com`)')
            [CompletionResult]::new('--kms-endpoint', '--kms-endpoint', [CompletionResultType]::ParameterName, 'Any KMS endpoint URL (a dedicated instance, or an emulator)')
            [CompletionResult]::new('--compat', '--compat', [CompletionResultType]::ParameterName, 'Which SDK family new envelopes are written for: oss2 (the default: read by oss2, py-v2, Java, C++), py-v2 (the same readers), go (Go v1 and v2, which match the matdesc as raw text, and all the others), java, or cpp. Sets the matdesc text style and the KMS layout (oss2''s for oss2, the Go/Java layout for go and java); py-v2 and cpp have no KMS master key, so a KMS key with them is refused. Objects without a matdesc are read by every SDK whatever the choice')
            [CompletionResult]::new('--kms-signature', '--kms-signature', [CompletionResultType]::ParameterName, 'How KMS requests are signed: v3 (ACS3-HMAC-SHA256), or rpc (the discontinued HMAC-SHA1 method, for private endpoints that still want it)')
            [CompletionResult]::new('--keyring', '--keyring', [CompletionResultType]::ParameterName, 'A TOML key ring file holding the same (see the README)')
            [CompletionResult]::new('--jobs', '--jobs', [CompletionResultType]::ParameterName, 'Objects in flight at once (bulk commands). For a single-object `cp` it still means parts in flight, as before `--parallel`: deprecated there, and going away in the next release')
            [CompletionResult]::new('--parallel', '--parallel', [CompletionResultType]::ParameterName, 'Parts (or ranges) in flight per object')
            [CompletionResult]::new('--resume', '--resume', [CompletionResultType]::ParameterName, 'Keep checkpoints and the job journal in this directory: a rerun of the same command resumes, sending no object the journal records as done and continuing the transfers that were in flight')
            [CompletionResult]::new('--include', '--include', [CompletionResultType]::ParameterName, 'Only paths (relative to the source) matching this glob (repeatable)')
            [CompletionResult]::new('--exclude', '--exclude', [CompletionResultType]::ParameterName, 'Leave out paths (relative to the source) matching this glob (repeatable)')
            [CompletionResult]::new('--manifest', '--manifest', [CompletionResultType]::ParameterName, 'Take the object keys from this file instead of a listing: an OSS Inventory report''s manifest.json (its CSV.gz data files are read from the inventory''s bucket, MD5-checked), or one key per line (`#` comments)')
            [CompletionResult]::new('--shard', '--shard', [CompletionResultType]::ParameterName, 'Only the keys of shard I of N (a stable hash of the key), so that N processes (an array job) share the work; `/N` takes I from JOB_COMPLETION_INDEX (Kubernetes Indexed Jobs). Each shard keeps its own journal')
            [CompletionResult]::new('--endpoint', '--endpoint', [CompletionResultType]::ParameterName, 'OSS endpoint, e.g. https://oss-cn-hangzhou.aliyuncs.com')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'OSS region (enables V4 signing), e.g. cn-hangzhou; without --endpoint it names the region''s public endpoint (VPC endpoint with --internal)')
            [CompletionResult]::new('--proxy', '--proxy', [CompletionResultType]::ParameterName, 'Proxy for OSS and KMS requests (http://host:port). Without it HTTPS_PROXY, HTTP_PROXY, ALL_PROXY and NO_PROXY are honoured; endpoints on this machine are always reached directly')
            [CompletionResult]::new('--ca-bundle', '--ca-bundle', [CompletionResultType]::ParameterName, 'Trust the CA certificates in this PEM file too (a private endpoint, a TLS-inspecting proxy)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Use this profile of ~/.aliyun/config.json, ~/.alibabacloud/credentials or ~/.ossutilconfig (ALIBABA_CLOUD_PROFILE names one too, after any keys in the environment)')
            [CompletionResult]::new('-r', '-r', [CompletionResultType]::ParameterName, 'Every object under the prefix (or the --manifest keys)')
            [CompletionResult]::new('--recursive', '--recursive', [CompletionResultType]::ParameterName, 'Every object under the prefix (or the --manifest keys)')
            [CompletionResult]::new('--kms-go-java-layout', '--kms-go-java-layout', [CompletionResultType]::ParameterName, 'Write the Go/Java SDKs'' KMS layout instead of oss2''s (the KMS half of `--compat go` or `--compat java`)')
            [CompletionResult]::new('--strict-matdesc', '--strict-matdesc', [CompletionResultType]::ParameterName, 'Try only the keys whose material description matches the object''s exactly. By default the matdesc is a hint: matching keys first, then every other key (one error if none opens the object)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Say what would be done (objects and bytes) and change nothing')
            [CompletionResult]::new('--internal', '--internal', [CompletionResultType]::ParameterName, 'With --region and no --endpoint: the region''s VPC endpoint (oss-<region>-internal.aliyuncs.com), for ECS instances')
            [CompletionResult]::new('--path-style', '--path-style', [CompletionResultType]::ParameterName, 'Address buckets in the path (https://endpoint/bucket/key) instead of the host name')
            [CompletionResult]::new('--cname', '--cname', [CompletionResultType]::ParameterName, 'The endpoint is a CNAME bound to the bucket (https://cname/key)')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'No progress bars')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print results as JSON (and errors as JSON on stderr)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More logging (-v one line per request, -vv debug); logs never contain secrets')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More logging (-v one line per request, -vv debug); logs never contain secrets')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'oss-cse;encrypt' {
            [CompletionResult]::new('--meta-out', '--meta-out', [CompletionResultType]::ParameterName, 'Where to write the envelope headers (JSON object)')
            [CompletionResult]::new('--rsa-public-key', '--rsa-public-key', [CompletionResultType]::ParameterName, 'RSA public key (PEM) to encrypt with')
            [CompletionResult]::new('--rsa-private-key', '--rsa-private-key', [CompletionResultType]::ParameterName, 'RSA private key (PEM) to decrypt with')
            [CompletionResult]::new('--matdesc', '--matdesc', [CompletionResultType]::ParameterName, 'Material description of the encrypting key, a JSON object of strings')
            [CompletionResult]::new('--decrypt-key', '--decrypt-key', [CompletionResultType]::ParameterName, 'A further private key that only decrypts, with its material description (repeatable)')
            [CompletionResult]::new('--kms-key-id', '--kms-key-id', [CompletionResultType]::ParameterName, 'KMS CMK to encrypt with, instead of an RSA key')
            [CompletionResult]::new('--kms-region', '--kms-region', [CompletionResultType]::ParameterName, 'Region of the KMS endpoint (`kms.<region>.aliyuncs.com`)')
            [CompletionResult]::new('--kms-endpoint', '--kms-endpoint', [CompletionResultType]::ParameterName, 'Any KMS endpoint URL (a dedicated instance, or an emulator)')
            [CompletionResult]::new('--compat', '--compat', [CompletionResultType]::ParameterName, 'Which SDK family new envelopes are written for: oss2 (the default: read by oss2, py-v2, Java, C++), py-v2 (the same readers), go (Go v1 and v2, which match the matdesc as raw text, and all the others), java, or cpp. Sets the matdesc text style and the KMS layout (oss2''s for oss2, the Go/Java layout for go and java); py-v2 and cpp have no KMS master key, so a KMS key with them is refused. Objects without a matdesc are read by every SDK whatever the choice')
            [CompletionResult]::new('--kms-signature', '--kms-signature', [CompletionResultType]::ParameterName, 'How KMS requests are signed: v3 (ACS3-HMAC-SHA256), or rpc (the discontinued HMAC-SHA1 method, for private endpoints that still want it)')
            [CompletionResult]::new('--keyring', '--keyring', [CompletionResultType]::ParameterName, 'A TOML key ring file holding the same (see the README)')
            [CompletionResult]::new('--v1', '--v1', [CompletionResultType]::ParameterName, 'Write format V1 (oss2 2.5-2.10) instead of V2')
            [CompletionResult]::new('--kms-go-java-layout', '--kms-go-java-layout', [CompletionResultType]::ParameterName, 'Write the Go/Java SDKs'' KMS layout instead of oss2''s (the KMS half of `--compat go` or `--compat java`)')
            [CompletionResult]::new('--strict-matdesc', '--strict-matdesc', [CompletionResultType]::ParameterName, 'Try only the keys whose material description matches the object''s exactly. By default the matdesc is a hint: matching keys first, then every other key (one error if none opens the object)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print results as JSON (and errors as JSON on stderr)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More logging (-v one line per request, -vv debug); logs never contain secrets')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More logging (-v one line per request, -vv debug); logs never contain secrets')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'oss-cse;decrypt' {
            [CompletionResult]::new('--meta', '--meta', [CompletionResultType]::ParameterName, 'The envelope headers (JSON object of header name to value)')
            [CompletionResult]::new('--rsa-public-key', '--rsa-public-key', [CompletionResultType]::ParameterName, 'RSA public key (PEM) to encrypt with')
            [CompletionResult]::new('--rsa-private-key', '--rsa-private-key', [CompletionResultType]::ParameterName, 'RSA private key (PEM) to decrypt with')
            [CompletionResult]::new('--matdesc', '--matdesc', [CompletionResultType]::ParameterName, 'Material description of the encrypting key, a JSON object of strings')
            [CompletionResult]::new('--decrypt-key', '--decrypt-key', [CompletionResultType]::ParameterName, 'A further private key that only decrypts, with its material description (repeatable)')
            [CompletionResult]::new('--kms-key-id', '--kms-key-id', [CompletionResultType]::ParameterName, 'KMS CMK to encrypt with, instead of an RSA key')
            [CompletionResult]::new('--kms-region', '--kms-region', [CompletionResultType]::ParameterName, 'Region of the KMS endpoint (`kms.<region>.aliyuncs.com`)')
            [CompletionResult]::new('--kms-endpoint', '--kms-endpoint', [CompletionResultType]::ParameterName, 'Any KMS endpoint URL (a dedicated instance, or an emulator)')
            [CompletionResult]::new('--compat', '--compat', [CompletionResultType]::ParameterName, 'Which SDK family new envelopes are written for: oss2 (the default: read by oss2, py-v2, Java, C++), py-v2 (the same readers), go (Go v1 and v2, which match the matdesc as raw text, and all the others), java, or cpp. Sets the matdesc text style and the KMS layout (oss2''s for oss2, the Go/Java layout for go and java); py-v2 and cpp have no KMS master key, so a KMS key with them is refused. Objects without a matdesc are read by every SDK whatever the choice')
            [CompletionResult]::new('--kms-signature', '--kms-signature', [CompletionResultType]::ParameterName, 'How KMS requests are signed: v3 (ACS3-HMAC-SHA256), or rpc (the discontinued HMAC-SHA1 method, for private endpoints that still want it)')
            [CompletionResult]::new('--keyring', '--keyring', [CompletionResultType]::ParameterName, 'A TOML key ring file holding the same (see the README)')
            [CompletionResult]::new('--kms-go-java-layout', '--kms-go-java-layout', [CompletionResultType]::ParameterName, 'Write the Go/Java SDKs'' KMS layout instead of oss2''s (the KMS half of `--compat go` or `--compat java`)')
            [CompletionResult]::new('--strict-matdesc', '--strict-matdesc', [CompletionResultType]::ParameterName, 'Try only the keys whose material description matches the object''s exactly. By default the matdesc is a hint: matching keys first, then every other key (one error if none opens the object)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print results as JSON (and errors as JSON on stderr)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More logging (-v one line per request, -vv debug); logs never contain secrets')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More logging (-v one line per request, -vv debug); logs never contain secrets')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'oss-cse;keygen' {
            [CompletionResult]::new('--out', '--out', [CompletionResultType]::ParameterName, 'Directory for public.pem and private.pem')
            [CompletionResult]::new('--bits', '--bits', [CompletionResultType]::ParameterName, 'Key size: 2048, 3072 or 4096')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print results as JSON (and errors as JSON on stderr)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More logging (-v one line per request, -vv debug); logs never contain secrets')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More logging (-v one line per request, -vv debug); logs never contain secrets')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'oss-cse;sse' {
            [CompletionResult]::new('--endpoint', '--endpoint', [CompletionResultType]::ParameterName, 'OSS endpoint, e.g. https://oss-cn-hangzhou.aliyuncs.com')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'OSS region (enables V4 signing), e.g. cn-hangzhou; without --endpoint it names the region''s public endpoint (VPC endpoint with --internal)')
            [CompletionResult]::new('--proxy', '--proxy', [CompletionResultType]::ParameterName, 'Proxy for OSS and KMS requests (http://host:port). Without it HTTPS_PROXY, HTTP_PROXY, ALL_PROXY and NO_PROXY are honoured; endpoints on this machine are always reached directly')
            [CompletionResult]::new('--ca-bundle', '--ca-bundle', [CompletionResultType]::ParameterName, 'Trust the CA certificates in this PEM file too (a private endpoint, a TLS-inspecting proxy)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Use this profile of ~/.aliyun/config.json, ~/.alibabacloud/credentials or ~/.ossutilconfig (ALIBABA_CLOUD_PROFILE names one too, after any keys in the environment)')
            [CompletionResult]::new('--internal', '--internal', [CompletionResultType]::ParameterName, 'With --region and no --endpoint: the region''s VPC endpoint (oss-<region>-internal.aliyuncs.com), for ECS instances')
            [CompletionResult]::new('--path-style', '--path-style', [CompletionResultType]::ParameterName, 'Address buckets in the path (https://endpoint/bucket/key) instead of the host name')
            [CompletionResult]::new('--cname', '--cname', [CompletionResultType]::ParameterName, 'The endpoint is a CNAME bound to the bucket (https://cname/key)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print results as JSON (and errors as JSON on stderr)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More logging (-v one line per request, -vv debug); logs never contain secrets')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More logging (-v one line per request, -vv debug); logs never contain secrets')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('get', 'get', [CompletionResultType]::ParameterValue, 'Show a bucket''s default server-side encryption')
            [CompletionResult]::new('put', 'put', [CompletionResultType]::ParameterValue, 'Set a bucket''s default server-side encryption')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Remove a bucket''s default server-side encryption')
            [CompletionResult]::new('encrypt-existing', 'encrypt-existing', [CompletionResultType]::ParameterValue, 'Encrypt existing objects in place (a self-copy with SSE headers). Every object under the prefix (or the --manifest keys) is copied onto itself with the new setting, or uploaded again where OSS refuses that for a client-side-encrypted object; objects already under the setting are skipped')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'oss-cse;sse;get' {
            [CompletionResult]::new('--endpoint', '--endpoint', [CompletionResultType]::ParameterName, 'OSS endpoint, e.g. https://oss-cn-hangzhou.aliyuncs.com')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'OSS region (enables V4 signing), e.g. cn-hangzhou; without --endpoint it names the region''s public endpoint (VPC endpoint with --internal)')
            [CompletionResult]::new('--proxy', '--proxy', [CompletionResultType]::ParameterName, 'Proxy for OSS and KMS requests (http://host:port). Without it HTTPS_PROXY, HTTP_PROXY, ALL_PROXY and NO_PROXY are honoured; endpoints on this machine are always reached directly')
            [CompletionResult]::new('--ca-bundle', '--ca-bundle', [CompletionResultType]::ParameterName, 'Trust the CA certificates in this PEM file too (a private endpoint, a TLS-inspecting proxy)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Use this profile of ~/.aliyun/config.json, ~/.alibabacloud/credentials or ~/.ossutilconfig (ALIBABA_CLOUD_PROFILE names one too, after any keys in the environment)')
            [CompletionResult]::new('--internal', '--internal', [CompletionResultType]::ParameterName, 'With --region and no --endpoint: the region''s VPC endpoint (oss-<region>-internal.aliyuncs.com), for ECS instances')
            [CompletionResult]::new('--path-style', '--path-style', [CompletionResultType]::ParameterName, 'Address buckets in the path (https://endpoint/bucket/key) instead of the host name')
            [CompletionResult]::new('--cname', '--cname', [CompletionResultType]::ParameterName, 'The endpoint is a CNAME bound to the bucket (https://cname/key)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print results as JSON (and errors as JSON on stderr)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More logging (-v one line per request, -vv debug); logs never contain secrets')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More logging (-v one line per request, -vv debug); logs never contain secrets')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'oss-cse;sse;put' {
            [CompletionResult]::new('--algorithm', '--algorithm', [CompletionResultType]::ParameterName, 'AES256, KMS or SM4')
            [CompletionResult]::new('--kms-key-id', '--kms-key-id', [CompletionResultType]::ParameterName, 'KMS key id (with --algorithm KMS)')
            [CompletionResult]::new('--kms-data-encryption', '--kms-data-encryption', [CompletionResultType]::ParameterName, 'SM4 data encryption under KMS')
            [CompletionResult]::new('--endpoint', '--endpoint', [CompletionResultType]::ParameterName, 'OSS endpoint, e.g. https://oss-cn-hangzhou.aliyuncs.com')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'OSS region (enables V4 signing), e.g. cn-hangzhou; without --endpoint it names the region''s public endpoint (VPC endpoint with --internal)')
            [CompletionResult]::new('--proxy', '--proxy', [CompletionResultType]::ParameterName, 'Proxy for OSS and KMS requests (http://host:port). Without it HTTPS_PROXY, HTTP_PROXY, ALL_PROXY and NO_PROXY are honoured; endpoints on this machine are always reached directly')
            [CompletionResult]::new('--ca-bundle', '--ca-bundle', [CompletionResultType]::ParameterName, 'Trust the CA certificates in this PEM file too (a private endpoint, a TLS-inspecting proxy)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Use this profile of ~/.aliyun/config.json, ~/.alibabacloud/credentials or ~/.ossutilconfig (ALIBABA_CLOUD_PROFILE names one too, after any keys in the environment)')
            [CompletionResult]::new('--internal', '--internal', [CompletionResultType]::ParameterName, 'With --region and no --endpoint: the region''s VPC endpoint (oss-<region>-internal.aliyuncs.com), for ECS instances')
            [CompletionResult]::new('--path-style', '--path-style', [CompletionResultType]::ParameterName, 'Address buckets in the path (https://endpoint/bucket/key) instead of the host name')
            [CompletionResult]::new('--cname', '--cname', [CompletionResultType]::ParameterName, 'The endpoint is a CNAME bound to the bucket (https://cname/key)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print results as JSON (and errors as JSON on stderr)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More logging (-v one line per request, -vv debug); logs never contain secrets')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More logging (-v one line per request, -vv debug); logs never contain secrets')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'oss-cse;sse;delete' {
            [CompletionResult]::new('--endpoint', '--endpoint', [CompletionResultType]::ParameterName, 'OSS endpoint, e.g. https://oss-cn-hangzhou.aliyuncs.com')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'OSS region (enables V4 signing), e.g. cn-hangzhou; without --endpoint it names the region''s public endpoint (VPC endpoint with --internal)')
            [CompletionResult]::new('--proxy', '--proxy', [CompletionResultType]::ParameterName, 'Proxy for OSS and KMS requests (http://host:port). Without it HTTPS_PROXY, HTTP_PROXY, ALL_PROXY and NO_PROXY are honoured; endpoints on this machine are always reached directly')
            [CompletionResult]::new('--ca-bundle', '--ca-bundle', [CompletionResultType]::ParameterName, 'Trust the CA certificates in this PEM file too (a private endpoint, a TLS-inspecting proxy)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Use this profile of ~/.aliyun/config.json, ~/.alibabacloud/credentials or ~/.ossutilconfig (ALIBABA_CLOUD_PROFILE names one too, after any keys in the environment)')
            [CompletionResult]::new('--internal', '--internal', [CompletionResultType]::ParameterName, 'With --region and no --endpoint: the region''s VPC endpoint (oss-<region>-internal.aliyuncs.com), for ECS instances')
            [CompletionResult]::new('--path-style', '--path-style', [CompletionResultType]::ParameterName, 'Address buckets in the path (https://endpoint/bucket/key) instead of the host name')
            [CompletionResult]::new('--cname', '--cname', [CompletionResultType]::ParameterName, 'The endpoint is a CNAME bound to the bucket (https://cname/key)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print results as JSON (and errors as JSON on stderr)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More logging (-v one line per request, -vv debug); logs never contain secrets')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More logging (-v one line per request, -vv debug); logs never contain secrets')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'oss-cse;sse;encrypt-existing' {
            [CompletionResult]::new('--algorithm', '--algorithm', [CompletionResultType]::ParameterName, 'AES256, KMS or SM4')
            [CompletionResult]::new('--kms-key-id', '--kms-key-id', [CompletionResultType]::ParameterName, 'KMS key id (with --algorithm KMS)')
            [CompletionResult]::new('--kms-data-encryption', '--kms-data-encryption', [CompletionResultType]::ParameterName, 'SM4 data encryption under KMS')
            [CompletionResult]::new('--jobs', '--jobs', [CompletionResultType]::ParameterName, 'Objects in flight at once (bulk commands). For a single-object `cp` it still means parts in flight, as before `--parallel`: deprecated there, and going away in the next release')
            [CompletionResult]::new('--parallel', '--parallel', [CompletionResultType]::ParameterName, 'Parts (or ranges) in flight per object')
            [CompletionResult]::new('--resume', '--resume', [CompletionResultType]::ParameterName, 'Keep checkpoints and the job journal in this directory: a rerun of the same command resumes, sending no object the journal records as done and continuing the transfers that were in flight')
            [CompletionResult]::new('--include', '--include', [CompletionResultType]::ParameterName, 'Only paths (relative to the source) matching this glob (repeatable)')
            [CompletionResult]::new('--exclude', '--exclude', [CompletionResultType]::ParameterName, 'Leave out paths (relative to the source) matching this glob (repeatable)')
            [CompletionResult]::new('--manifest', '--manifest', [CompletionResultType]::ParameterName, 'Take the object keys from this file instead of a listing: an OSS Inventory report''s manifest.json (its CSV.gz data files are read from the inventory''s bucket, MD5-checked), or one key per line (`#` comments)')
            [CompletionResult]::new('--shard', '--shard', [CompletionResultType]::ParameterName, 'Only the keys of shard I of N (a stable hash of the key), so that N processes (an array job) share the work; `/N` takes I from JOB_COMPLETION_INDEX (Kubernetes Indexed Jobs). Each shard keeps its own journal')
            [CompletionResult]::new('--endpoint', '--endpoint', [CompletionResultType]::ParameterName, 'OSS endpoint, e.g. https://oss-cn-hangzhou.aliyuncs.com')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'OSS region (enables V4 signing), e.g. cn-hangzhou; without --endpoint it names the region''s public endpoint (VPC endpoint with --internal)')
            [CompletionResult]::new('--proxy', '--proxy', [CompletionResultType]::ParameterName, 'Proxy for OSS and KMS requests (http://host:port). Without it HTTPS_PROXY, HTTP_PROXY, ALL_PROXY and NO_PROXY are honoured; endpoints on this machine are always reached directly')
            [CompletionResult]::new('--ca-bundle', '--ca-bundle', [CompletionResultType]::ParameterName, 'Trust the CA certificates in this PEM file too (a private endpoint, a TLS-inspecting proxy)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Use this profile of ~/.aliyun/config.json, ~/.alibabacloud/credentials or ~/.ossutilconfig (ALIBABA_CLOUD_PROFILE names one too, after any keys in the environment)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Say what would be done (objects and bytes) and change nothing')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'No progress bars')
            [CompletionResult]::new('--internal', '--internal', [CompletionResultType]::ParameterName, 'With --region and no --endpoint: the region''s VPC endpoint (oss-<region>-internal.aliyuncs.com), for ECS instances')
            [CompletionResult]::new('--path-style', '--path-style', [CompletionResultType]::ParameterName, 'Address buckets in the path (https://endpoint/bucket/key) instead of the host name')
            [CompletionResult]::new('--cname', '--cname', [CompletionResultType]::ParameterName, 'The endpoint is a CNAME bound to the bucket (https://cname/key)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print results as JSON (and errors as JSON on stderr)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More logging (-v one line per request, -vv debug); logs never contain secrets')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More logging (-v one line per request, -vv debug); logs never contain secrets')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'oss-cse;sse;help' {
            [CompletionResult]::new('get', 'get', [CompletionResultType]::ParameterValue, 'Show a bucket''s default server-side encryption')
            [CompletionResult]::new('put', 'put', [CompletionResultType]::ParameterValue, 'Set a bucket''s default server-side encryption')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Remove a bucket''s default server-side encryption')
            [CompletionResult]::new('encrypt-existing', 'encrypt-existing', [CompletionResultType]::ParameterValue, 'Encrypt existing objects in place (a self-copy with SSE headers). Every object under the prefix (or the --manifest keys) is copied onto itself with the new setting, or uploaded again where OSS refuses that for a client-side-encrypted object; objects already under the setting are skipped')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'oss-cse;sse;help;get' {
            break
        }
        'oss-cse;sse;help;put' {
            break
        }
        'oss-cse;sse;help;delete' {
            break
        }
        'oss-cse;sse;help;encrypt-existing' {
            break
        }
        'oss-cse;sse;help;help' {
            break
        }
        'oss-cse;config' {
            [CompletionResult]::new('--endpoint', '--endpoint', [CompletionResultType]::ParameterName, 'OSS endpoint, e.g. https://oss-cn-hangzhou.aliyuncs.com')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'OSS region (enables V4 signing), e.g. cn-hangzhou; without --endpoint it names the region''s public endpoint (VPC endpoint with --internal)')
            [CompletionResult]::new('--proxy', '--proxy', [CompletionResultType]::ParameterName, 'Proxy for OSS and KMS requests (http://host:port). Without it HTTPS_PROXY, HTTP_PROXY, ALL_PROXY and NO_PROXY are honoured; endpoints on this machine are always reached directly')
            [CompletionResult]::new('--ca-bundle', '--ca-bundle', [CompletionResultType]::ParameterName, 'Trust the CA certificates in this PEM file too (a private endpoint, a TLS-inspecting proxy)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Use this profile of ~/.aliyun/config.json, ~/.alibabacloud/credentials or ~/.ossutilconfig (ALIBABA_CLOUD_PROFILE names one too, after any keys in the environment)')
            [CompletionResult]::new('--internal', '--internal', [CompletionResultType]::ParameterName, 'With --region and no --endpoint: the region''s VPC endpoint (oss-<region>-internal.aliyuncs.com), for ECS instances')
            [CompletionResult]::new('--path-style', '--path-style', [CompletionResultType]::ParameterName, 'Address buckets in the path (https://endpoint/bucket/key) instead of the host name')
            [CompletionResult]::new('--cname', '--cname', [CompletionResultType]::ParameterName, 'The endpoint is a CNAME bound to the bucket (https://cname/key)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print results as JSON (and errors as JSON on stderr)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More logging (-v one line per request, -vv debug); logs never contain secrets')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More logging (-v one line per request, -vv debug); logs never contain secrets')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'oss-cse;completions' {
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print results as JSON (and errors as JSON on stderr)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More logging (-v one line per request, -vv debug); logs never contain secrets')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More logging (-v one line per request, -vv debug); logs never contain secrets')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'oss-cse;man' {
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print results as JSON (and errors as JSON on stderr)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More logging (-v one line per request, -vv debug); logs never contain secrets')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More logging (-v one line per request, -vv debug); logs never contain secrets')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'oss-cse;gateway' {
            [CompletionResult]::new('--listen', '--listen', [CompletionResultType]::ParameterName, 'Address to listen on: a loopback one, or any with --tls-cert and --tls-key (off loopback the gateway serves TLS only)')
            [CompletionResult]::new('--tls-cert', '--tls-cert', [CompletionResultType]::ParameterName, 'The certificate chain (PEM, leaf first) clients are served TLS with')
            [CompletionResult]::new('--tls-key', '--tls-key', [CompletionResultType]::ParameterName, 'The private key (PEM) of --tls-cert')
            [CompletionResult]::new('--client-credentials', '--client-credentials', [CompletionResultType]::ParameterName, 'The AccessKey pairs clients sign their requests with, one AK:SK a line (# comments): never the upstream''s own')
            [CompletionResult]::new('--host-name', '--host-name', [CompletionResultType]::ParameterName, 'A host name clients reach the gateway by, for virtual-hosted requests (`<bucket>.<name>`); repeatable')
            [CompletionResult]::new('--spool-limit', '--spool-limit', [CompletionResultType]::ParameterName, 'The most the multipart spool holds on disk at once, over all uploads in progress (e.g. 16G, 500M); a part past it is refused with 503')
            [CompletionResult]::new('--rsa-public-key', '--rsa-public-key', [CompletionResultType]::ParameterName, 'RSA public key (PEM) to encrypt with')
            [CompletionResult]::new('--rsa-private-key', '--rsa-private-key', [CompletionResultType]::ParameterName, 'RSA private key (PEM) to decrypt with')
            [CompletionResult]::new('--matdesc', '--matdesc', [CompletionResultType]::ParameterName, 'Material description of the encrypting key, a JSON object of strings')
            [CompletionResult]::new('--decrypt-key', '--decrypt-key', [CompletionResultType]::ParameterName, 'A further private key that only decrypts, with its material description (repeatable)')
            [CompletionResult]::new('--kms-key-id', '--kms-key-id', [CompletionResultType]::ParameterName, 'KMS CMK to encrypt with, instead of an RSA key')
            [CompletionResult]::new('--kms-region', '--kms-region', [CompletionResultType]::ParameterName, 'Region of the KMS endpoint (`kms.<region>.aliyuncs.com`)')
            [CompletionResult]::new('--kms-endpoint', '--kms-endpoint', [CompletionResultType]::ParameterName, 'Any KMS endpoint URL (a dedicated instance, or an emulator)')
            [CompletionResult]::new('--compat', '--compat', [CompletionResultType]::ParameterName, 'Which SDK family new envelopes are written for: oss2 (the default: read by oss2, py-v2, Java, C++), py-v2 (the same readers), go (Go v1 and v2, which match the matdesc as raw text, and all the others), java, or cpp. Sets the matdesc text style and the KMS layout (oss2''s for oss2, the Go/Java layout for go and java); py-v2 and cpp have no KMS master key, so a KMS key with them is refused. Objects without a matdesc are read by every SDK whatever the choice')
            [CompletionResult]::new('--kms-signature', '--kms-signature', [CompletionResultType]::ParameterName, 'How KMS requests are signed: v3 (ACS3-HMAC-SHA256), or rpc (the discontinued HMAC-SHA1 method, for private endpoints that still want it)')
            [CompletionResult]::new('--keyring', '--keyring', [CompletionResultType]::ParameterName, 'A TOML key ring file holding the same (see the README)')
            [CompletionResult]::new('--endpoint', '--endpoint', [CompletionResultType]::ParameterName, 'OSS endpoint, e.g. https://oss-cn-hangzhou.aliyuncs.com')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'OSS region (enables V4 signing), e.g. cn-hangzhou; without --endpoint it names the region''s public endpoint (VPC endpoint with --internal)')
            [CompletionResult]::new('--proxy', '--proxy', [CompletionResultType]::ParameterName, 'Proxy for OSS and KMS requests (http://host:port). Without it HTTPS_PROXY, HTTP_PROXY, ALL_PROXY and NO_PROXY are honoured; endpoints on this machine are always reached directly')
            [CompletionResult]::new('--ca-bundle', '--ca-bundle', [CompletionResultType]::ParameterName, 'Trust the CA certificates in this PEM file too (a private endpoint, a TLS-inspecting proxy)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Use this profile of ~/.aliyun/config.json, ~/.alibabacloud/credentials or ~/.ossutilconfig (ALIBABA_CLOUD_PROFILE names one too, after any keys in the environment)')
            [CompletionResult]::new('--sign-key', '--sign-key', [CompletionResultType]::ParameterName, 'Uploads: sign the tag with this Ed25519 private key (PKCS#8 PEM, as `openssl genpkey -algorithm ed25519` writes); implies --authenticate')
            [CompletionResult]::new('--trusted-signer', '--trusted-signer', [CompletionResultType]::ParameterName, 'Downloads: refuse objects not signed by this Ed25519 public key (SPKI PEM); repeat for several writers. Implies --require-authenticated')
            [CompletionResult]::new('--kms-go-java-layout', '--kms-go-java-layout', [CompletionResultType]::ParameterName, 'Write the Go/Java SDKs'' KMS layout instead of oss2''s (the KMS half of `--compat go` or `--compat java`)')
            [CompletionResult]::new('--strict-matdesc', '--strict-matdesc', [CompletionResultType]::ParameterName, 'Try only the keys whose material description matches the object''s exactly. By default the matdesc is a hint: matching keys first, then every other key (one error if none opens the object)')
            [CompletionResult]::new('--internal', '--internal', [CompletionResultType]::ParameterName, 'With --region and no --endpoint: the region''s VPC endpoint (oss-<region>-internal.aliyuncs.com), for ECS instances')
            [CompletionResult]::new('--path-style', '--path-style', [CompletionResultType]::ParameterName, 'Address buckets in the path (https://endpoint/bucket/key) instead of the host name')
            [CompletionResult]::new('--cname', '--cname', [CompletionResultType]::ParameterName, 'The endpoint is a CNAME bound to the bucket (https://cname/key)')
            [CompletionResult]::new('--allow-plaintext', '--allow-plaintext', [CompletionResultType]::ParameterName, 'Return objects that are not client-side encrypted as they are, instead of refusing them')
            [CompletionResult]::new('--require-verified', '--require-verified', [CompletionResultType]::ParameterName, 'Refuse a whole download that nothing can verify (no CRC-64 from the server, no MD5 in the envelope) instead of warning')
            [CompletionResult]::new('--authenticate', '--authenticate', [CompletionResultType]::ParameterName, 'Uploads: write an authentication tag (a keyed BLAKE3 MAC of the ciphertext and IV, under a key derived from the data key) that the official SDKs ignore. A file is read twice; stdin goes through the ciphertext spool')
            [CompletionResult]::new('--require-authenticated', '--require-authenticated', [CompletionResultType]::ParameterName, 'Downloads: refuse objects without an authentication tag (tags are always checked when present, on whole downloads)')
            [CompletionResult]::new('--sign-name', '--sign-name', [CompletionResultType]::ParameterName, 'With --sign-key: the signature also covers the bucket and key, so a copy or rename no longer verifies')
            [CompletionResult]::new('--require-signed-name', '--require-signed-name', [CompletionResultType]::ParameterName, 'With --trusted-signer: refuse a signature that does not cover the object''s bucket and key (written with --sign-name), so a signed object copied elsewhere in the bucket is not taken as genuine there')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print results as JSON (and errors as JSON on stderr)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More logging (-v one line per request, -vv debug); logs never contain secrets')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More logging (-v one line per request, -vv debug); logs never contain secrets')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'oss-cse;emulator' {
            [CompletionResult]::new('--listen', '--listen', [CompletionResultType]::ParameterName, 'Address to listen on')
            [CompletionResult]::new('--data', '--data', [CompletionResultType]::ParameterName, 'Data directory')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'The region the emulator stands for (V4 requests must name it)')
            [CompletionResult]::new('--credential', '--credential', [CompletionResultType]::ParameterName, 'Accepted credentials, AK:SK (repeatable; one pair is generated if none is given anywhere). Visible to other users in `ps`: prefer the environment variable or --credentials-file')
            [CompletionResult]::new('--credentials-file', '--credentials-file', [CompletionResultType]::ParameterName, 'A file of accepted credentials, one AK:SK per line (# comments)')
            [CompletionResult]::new('--sts-lifetime', '--sts-lifetime', [CompletionResultType]::ParameterName, 'Issue STS and ECS-role credentials that expire after this many seconds (real STS: at least 900), to watch a client refresh them')
            [CompletionResult]::new('--copy-limit', '--copy-limit', [CompletionResultType]::ParameterName, 'The largest object CopyObject copies (OSS: 1 GB); lower it to try what a client does with a larger one')
            [CompletionResult]::new('--strict', '--strict', [CompletionResultType]::ParameterName, 'Also refuse what OSS''s docs forbid but the Java and C++ SDKs rely on OSS accepting (UploadPart without the encryption headers), and what the docs leave open (a self-copy of an encrypted object that changes its server-side encryption or storage class)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print results as JSON (and errors as JSON on stderr)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More logging (-v one line per request, -vv debug); logs never contain secrets')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More logging (-v one line per request, -vv debug); logs never contain secrets')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'oss-cse;help' {
            [CompletionResult]::new('demo', 'demo', [CompletionResultType]::ParameterValue, 'Run the whole job against an embedded emulator: no account needed')
            [CompletionResult]::new('cp', 'cp', [CompletionResultType]::ParameterValue, 'Copy a local file (or - for stdin) to oss://bucket/key encrypting it, or back decrypting it; with -r a whole directory to a prefix, or a prefix''s objects into a directory')
            [CompletionResult]::new('cat', 'cat', [CompletionResultType]::ParameterValue, 'Print an object''s decrypted content')
            [CompletionResult]::new('stat', 'stat', [CompletionResultType]::ParameterValue, 'Show an object''s encryption: format, algorithms, matdesc, sizes, SSE (no secrets)')
            [CompletionResult]::new('ls', 'ls', [CompletionResultType]::ParameterValue, 'List buckets (oss://), or a prefix''s directories and objects (-r: all objects under it), or its unfinished multipart uploads (--multipart)')
            [CompletionResult]::new('rm', 'rm', [CompletionResultType]::ParameterValue, 'Remove an object, every object under a prefix (-r), or unfinished multipart uploads (--multipart)')
            [CompletionResult]::new('sync', 'sync', [CompletionResultType]::ParameterValue, 'Make a destination match a source: a local directory and an OSS prefix, either way. Only what changed moves (size, and a modification time kept as user metadata on upload and set on download); --delete also removes what the source no longer has')
            [CompletionResult]::new('mb', 'mb', [CompletionResultType]::ParameterValue, 'Create a bucket')
            [CompletionResult]::new('rewrap', 'rewrap', [CompletionResultType]::ParameterValue, 'Re-wrap an object''s data key under a new master key, without re-encrypting it')
            [CompletionResult]::new('encrypt', 'encrypt', [CompletionResultType]::ParameterValue, 'Encrypt a local file offline; the envelope goes to a JSON file of x-oss-meta-* headers')
            [CompletionResult]::new('decrypt', 'decrypt', [CompletionResultType]::ParameterValue, 'Decrypt a ciphertext fetched by any tool, given its x-oss-meta-* headers as JSON')
            [CompletionResult]::new('keygen', 'keygen', [CompletionResultType]::ParameterValue, 'Generate an RSA key pair (PEM; the private key file is mode 0600)')
            [CompletionResult]::new('sse', 'sse', [CompletionResultType]::ParameterValue, 'Server-side encryption settings of a bucket, and encrypting existing objects in place')
            [CompletionResult]::new('config', 'config', [CompletionResultType]::ParameterValue, 'Show the settings a command would use and where each comes from: endpoint, region, signing, proxy, and which credential source is used (never a secret)')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script: bash, zsh, fish, elvish or powershell (e.g. `oss-cse completions bash > /etc/bash_completion.d/oss-cse`)')
            [CompletionResult]::new('man', 'man', [CompletionResultType]::ParameterValue, 'Print the man page (roff)')
            [CompletionResult]::new('gateway', 'gateway', [CompletionResultType]::ParameterValue, 'Serve an OSS-compatible endpoint that encrypts on the way in and decrypts on the way out, until interrupted')
            [CompletionResult]::new('emulator', 'emulator', [CompletionResultType]::ParameterValue, 'Run the local OSS + KMS emulator until interrupted')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'oss-cse;help;demo' {
            break
        }
        'oss-cse;help;cp' {
            break
        }
        'oss-cse;help;cat' {
            break
        }
        'oss-cse;help;stat' {
            break
        }
        'oss-cse;help;ls' {
            break
        }
        'oss-cse;help;rm' {
            break
        }
        'oss-cse;help;sync' {
            break
        }
        'oss-cse;help;mb' {
            break
        }
        'oss-cse;help;rewrap' {
            break
        }
        'oss-cse;help;encrypt' {
            break
        }
        'oss-cse;help;decrypt' {
            break
        }
        'oss-cse;help;keygen' {
            break
        }
        'oss-cse;help;sse' {
            [CompletionResult]::new('get', 'get', [CompletionResultType]::ParameterValue, 'Show a bucket''s default server-side encryption')
            [CompletionResult]::new('put', 'put', [CompletionResultType]::ParameterValue, 'Set a bucket''s default server-side encryption')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Remove a bucket''s default server-side encryption')
            [CompletionResult]::new('encrypt-existing', 'encrypt-existing', [CompletionResultType]::ParameterValue, 'Encrypt existing objects in place (a self-copy with SSE headers). Every object under the prefix (or the --manifest keys) is copied onto itself with the new setting, or uploaded again where OSS refuses that for a client-side-encrypted object; objects already under the setting are skipped')
            break
        }
        'oss-cse;help;sse;get' {
            break
        }
        'oss-cse;help;sse;put' {
            break
        }
        'oss-cse;help;sse;delete' {
            break
        }
        'oss-cse;help;sse;encrypt-existing' {
            break
        }
        'oss-cse;help;config' {
            break
        }
        'oss-cse;help;completions' {
            break
        }
        'oss-cse;help;man' {
            break
        }
        'oss-cse;help;gateway' {
            break
        }
        'oss-cse;help;emulator' {
            break
        }
        'oss-cse;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
