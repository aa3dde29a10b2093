// ali-oss, the JavaScript SDK (from the npm registry), through the gateway: put, get, ranged get, head, multipart
// upload, a chunked stream, list, copy, a presigned URL and deletes. Its endpoint is the gateway's address, so it
// names the bucket in the Host (`<bucket>.oss-cn-hangzhou.aliyuncs.com`, from its region) and not in the path, with
// V1 signatures; then path-style (sldEnable) to `localhost`, with V4 ones.
// What it writes, oss2's CryptoBucket reads straight from the emulator (ali_oss_through_gateway.py checks).
'use strict';

const assert = require('assert');
const fs = require('fs');
const http = require('http');
const path = require('path');
const { Readable } = require('stream');
const OSS = require('ali-oss');

const env = process.env;
const gateway = new URL(env.GATEWAY);

function data(n, seed) {
  const out = Buffer.alloc(n);
  for (let i = 0; i < n; i++) out[i] = (i * 31 + seed) % 251;
  return out;
}

async function refused(attempt, code) {
  try {
    await attempt();
  } catch (error) {
    assert.strictEqual(error.code, code, `${code} expected, got ${error.code}: ${error.message}`);
    return;
  }
  throw new Error(`not refused: ${code}`);
}

function fetch(url) {
  return new Promise((resolve, reject) => {
    http.get(url, res => {
      const chunks = [];
      res.on('data', c => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, body: Buffer.concat(chunks) }));
    }).on('error', reject);
  });
}

async function main() {
  // An IP address as the endpoint: ali-oss sends `Host: <bucket>.oss-<region>.aliyuncs.com` there; V1 signatures.
  const client = new OSS({
    endpoint: env.GATEWAY,
    bucket: env.BUCKET,
    accessKeyId: env.CLIENT_ID,
    accessKeySecret: env.CLIENT_SECRET,
  });

  const small = data(1000, 1);
  await client.put('js/small.txt', small, { meta: { owner: 'ward 4' }, mime: 'text/plain' });
  const got = await client.get('js/small.txt');
  assert.ok(got.content.equals(small), 'get');
  const ranged = await client.get('js/small.txt', null, { headers: { Range: 'bytes=100-199' } });
  assert.strictEqual(ranged.res.status, 206);
  assert.ok(ranged.content.equals(small.subarray(100, 200)), 'ranged get');
  const head = await client.head('js/small.txt');
  assert.strictEqual(Number(head.res.headers['content-length']), 1000);
  assert.strictEqual(head.meta.owner, 'ward 4');
  assert.ok(!Object.keys(head.res.headers).some(h => h.startsWith('x-oss-meta-client-side-encryption')), 'no envelope');

  // Multipart: ali-oss's own part layout (equal parts, a shorter last one), three at a time.
  const large = data(1536 * 1024 + 7, 2);
  const file = path.join(env.WORK, 'large.bin');
  fs.writeFileSync(file, large);
  const progress = [];
  await client.multipartUpload('js/multipart.bin', file, { partSize: 256 * 1024, parallel: 3, progress: p => progress.push(p) });
  assert.strictEqual(progress[progress.length - 1], 1, 'ali-oss saw every part done');
  assert.ok((await client.get('js/multipart.bin')).content.equals(large), 'multipart read back');
  const tail = await client.get('js/multipart.bin', null, { headers: { Range: `bytes=${large.length - 300}-` } });
  assert.ok(tail.content.equals(large.subarray(large.length - 300)), 'ranged get across parts');

  // A stream of unknown length goes up chunked.
  const streamed = data(300 * 1024, 3);
  await client.putStream('js/streamed.bin', Readable.from([streamed.subarray(0, 100000), streamed.subarray(100000)]));
  assert.ok((await client.get('js/streamed.bin')).content.equals(streamed), 'chunked stream read back');

  // The object written by oss2's CryptoBucket (straight to the emulator), read through the gateway.
  const theirs = await client.get('py/by-crypto-bucket');
  assert.ok(theirs.content.equals(data(70000, 3)), 'CryptoBucket object read through the gateway');

  const listed = await client.list({ prefix: 'js/' });
  assert.deepStrictEqual(listed.objects.map(o => [o.name, o.size]),
    [['js/multipart.bin', large.length], ['js/small.txt', 1000], ['js/streamed.bin', streamed.length]]);
  const listedV2 = await client.listV2({ prefix: 'js/', 'max-keys': 2 });
  assert.strictEqual(listedV2.objects.length, 2);
  assert.ok(listedV2.isTruncated);

  await client.copy('js/copy.txt', 'js/small.txt');
  assert.ok((await client.get('js/copy.txt')).content.equals(small), 'copy read back');

  await client.put('js/gone.txt', Buffer.from('to be deleted'));
  await client.deleteMulti(['js/copy.txt', 'js/gone.txt']);
  await refused(() => client.get('js/gone.txt'), 'NoSuchKey');

  // Hostile: an append (an encrypted object cannot grow), a wrong secret, the envelope sent by the client.
  await refused(() => client.append('js/log', Buffer.from('x')), 'InvalidArgument');
  const wrong = new OSS({ endpoint: env.GATEWAY, bucket: env.BUCKET, accessKeyId: env.CLIENT_ID,
    accessKeySecret: 'wrong' });
  await refused(() => wrong.get('js/small.txt'), 'SignatureDoesNotMatch');
  await refused(() => client.put('js/forged', Buffer.from('x'),
    { headers: { 'x-oss-meta-client-side-encryption-key': 'AAAA' } }), 'InvalidArgument');

  // Path-style (sldEnable) to a host name: the bucket is the path's first segment; V4 signatures.
  const hosted = new OSS({
    endpoint: `http://localhost:${gateway.port}`,
    region: 'oss-cn-hangzhou',
    bucket: env.BUCKET,
    accessKeyId: env.CLIENT_ID,
    accessKeySecret: env.CLIENT_SECRET,
    sldEnable: true,
    authorizationV4: true,
  });
  const v4 = data(200 * 1024, 4);
  await hosted.put('js/v4.bin', v4);
  assert.ok((await hosted.get('js/v4.bin')).content.equals(v4), 'path-style V4 read back');
  const v4range = await hosted.get('js/v4.bin', null, { headers: { Range: 'bytes=5-15' } });
  assert.ok(v4range.content.equals(v4.subarray(5, 16)), 'path-style V4 ranged get');

  // A presigned URL (ali-oss will not make one for an IP-address endpoint).
  const url = hosted.signatureUrl('js/small.txt', { expires: 600 });
  const presigned = await fetch(url);
  assert.strictEqual(presigned.status, 200, url);
  assert.ok(presigned.body.equals(small), 'presigned GET');

  console.log('ok');
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
