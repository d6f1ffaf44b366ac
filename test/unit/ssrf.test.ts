// Outbound safety for webhooks: which addresses are private, loopback, link-local or reserved (however
// they are written, IPv4 inside IPv6 included), which URLs may be registered, and which resolved
// addresses a delivery may connect to.
import { describe, expect, it } from 'vitest';
import {
  checkWebhookUrl,
  isLoopback,
  isPrivateAddress,
  resolveTarget,
  type OutboundPolicy,
} from '@ccx/server/testing';

const STRICT: OutboundPolicy = { allowHttpLoopback: false, allowPrivate: false };
const DEV: OutboundPolicy = { allowHttpLoopback: true, allowPrivate: false };
const INTERNAL: OutboundPolicy = { allowHttpLoopback: false, allowPrivate: true };

describe('isPrivateAddress', () => {
  it.each([
    // 10/8
    '10.0.0.0',
    '10.0.0.1',
    '10.255.255.255',
    // 172.16/12
    '172.16.0.0',
    '172.16.5.4',
    '172.31.255.255',
    // 192.168/16
    '192.168.0.1',
    '192.168.255.255',
    // 127/8
    '127.0.0.1',
    '127.1.2.3',
    '127.255.255.254',
    // 169.254/16, cloud metadata included
    '169.254.0.1',
    '169.254.169.254',
    '169.254.255.255',
    // 100.64/10 (carrier-grade NAT)
    '100.64.0.1',
    '100.127.255.255',
    // this network, and other reserved ranges
    '0.0.0.0',
    '0.1.2.3',
    '192.0.0.1',
    '198.18.0.1',
    '224.0.0.1',
    '255.255.255.255',
    // IPv6 loopback, unspecified, unique local fc00::/7, link-local fe80::/10, multicast
    '::1',
    '0:0:0:0:0:0:0:1',
    '::',
    'fc00::1',
    'fd12:3456:789a::1',
    'FD00::1',
    'fe80::1',
    'fe80::1%eth0',
    'febf:ffff::1',
    'ff02::1',
    // IPv4 inside IPv6, in every spelling: mapped (dotted and hex), translated, NAT64, 6to4
    '::ffff:10.0.0.1',
    '::ffff:a00:1',
    '0:0:0:0:0:ffff:0a00:0001',
    '::ffff:127.0.0.1',
    '::ffff:7f00:1',
    '::ffff:169.254.169.254',
    '::ffff:a9fe:a9fe',
    '::ffff:192.168.1.1',
    '::ffff:0:10.0.0.1',
    '64:ff9b::10.0.0.1',
    '64:ff9b::a9fe:a9fe',
    '2002:a00:1::1',
    '2002:7f00:1::',
    // the deprecated IPv4-compatible form
    '::10.0.0.1',
    '::127.0.0.1',
  ])('%s is private', (ip) => {
    expect(isPrivateAddress(ip)).toBe(true);
  });

  it.each([
    '8.8.8.8',
    '1.1.1.1',
    '93.184.216.34',
    '9.255.255.255',
    '11.0.0.1',
    '172.15.255.255',
    '172.32.0.1',
    '192.167.255.255',
    '192.169.0.1',
    '100.63.255.255',
    '100.128.0.1',
    '169.253.255.255',
    '169.255.0.1',
    '126.255.255.255',
    '128.0.0.1',
    '2001:4860:4860::8888',
    '2606:4700:4700::1111',
    '2a00:1450:4009:81f::200e',
    '::ffff:8.8.8.8',
    '::ffff:808:808',
    '64:ff9b::8.8.8.8',
    '2002:808:808::1',
  ])('%s is public', (ip) => {
    expect(isPrivateAddress(ip)).toBe(false);
  });
});

describe('isLoopback', () => {
  it('knows 127/8 and ::1, and nothing else', () => {
    for (const ip of ['127.0.0.1', '127.8.9.10', '::1']) expect(isLoopback(ip)).toBe(true);
    for (const ip of ['10.0.0.1', '128.0.0.1', '169.254.169.254', '8.8.8.8', '::', 'fe80::1', '::2'])
      expect(isLoopback(ip)).toBe(false);
  });
});

describe('checkWebhookUrl', () => {
  it('accepts https URLs, whatever the policy', () => {
    for (const policy of [STRICT, DEV, INTERNAL]) {
      expect(checkWebhookUrl('https://hooks.example.gov.uk/ccx', policy).toString()).toBe(
        'https://hooks.example.gov.uk/ccx',
      );
      expect(checkWebhookUrl('https://93.184.216.34:8443/x?y=1', policy).host).toBe('93.184.216.34:8443');
    }
  });

  it('refuses http, except to loopback when the operator allows it', () => {
    for (const url of ['http://127.0.0.1:3000/hook', 'http://localhost/hook', 'http://[::1]:8080/hook']) {
      expect(() => checkWebhookUrl(url, STRICT)).toThrow(/https/);
      expect(() => checkWebhookUrl(url, INTERNAL)).toThrow(/https/);
      expect(checkWebhookUrl(url, DEV).protocol).toBe('http:');
    }
    for (const url of [
      'http://example.com/hook',
      'http://10.0.0.1/hook',
      'http://169.254.169.254/',
      'http://localhost.example.com/hook',
      'http://127.0.0.1.nip.io/hook',
    ]) {
      for (const policy of [STRICT, DEV, INTERNAL])
        expect(() => checkWebhookUrl(url, policy)).toThrow(/https/);
    }
  });

  it('refuses other schemes, credentials and what is not an absolute URL', () => {
    for (const policy of [STRICT, DEV]) {
      for (const url of [
        'ftp://example.com/x',
        'file:///etc/passwd',
        'gopher://example.com/',
        'javascript:alert(1)',
      ])
        expect(() => checkWebhookUrl(url, policy)).toThrow(/https/);
      expect(() => checkWebhookUrl('https://user:secret@example.com/hook', policy)).toThrow(/credentials/);
      expect(() => checkWebhookUrl('https://user@example.com/hook', policy)).toThrow(/credentials/);
      for (const url of ['not a url', '/relative/path', 'example.com/hook', ''])
        expect(() => checkWebhookUrl(url, policy)).toThrow(/absolute URL/);
    }
  });

  it('throws the hub’s validation error (a 400)', () => {
    try {
      checkWebhookUrl('http://example.com/', STRICT);
      expect.fail('should refuse');
    } catch (err) {
      expect(err).toMatchObject({ name: 'AppError', code: 'VALIDATION' });
    }
  });
});

describe('resolveTarget', () => {
  it('answers a public literal address as it is', async () => {
    expect(await resolveTarget(new URL('https://93.184.216.34/hook'), STRICT)).toEqual({
      address: '93.184.216.34',
      family: 4,
    });
    expect(await resolveTarget(new URL('https://[2606:4700:4700::1111]/hook'), STRICT)).toEqual({
      address: '2606:4700:4700::1111',
      family: 6,
    });
  });

  it('refuses private, link-local, metadata and loopback literals unless allowed', async () => {
    for (const url of [
      'https://10.0.0.1/',
      'https://169.254.169.254/latest/meta-data/',
      'https://192.168.1.1/',
      'https://[fd00::1]/',
      'https://[::ffff:10.0.0.1]/',
      'https://[::ffff:169.254.169.254]/',
      'https://127.0.0.1/',
      'https://[::1]/',
    ]) {
      await expect(resolveTarget(new URL(url), STRICT), url).rejects.toThrow(/refused/);
      expect((await resolveTarget(new URL(url), INTERNAL)).address).toBeTruthy();
    }
    // Allowing loopback for development allows loopback only.
    expect(await resolveTarget(new URL('http://127.0.0.1:3000/'), DEV)).toEqual({
      address: '127.0.0.1',
      family: 4,
    });
    expect(await resolveTarget(new URL('http://[::1]:3000/'), DEV)).toEqual({ address: '::1', family: 6 });
    for (const url of ['https://10.0.0.1/', 'https://169.254.169.254/', 'https://[::ffff:127.0.0.1]/'])
      await expect(resolveTarget(new URL(url), DEV), url).rejects.toThrow(/refused/);
  });

  it('checks the addresses a name resolves to: localhost is refused unless loopback is allowed', async () => {
    const url = new URL('http://localhost:3000/hook');
    await expect(resolveTarget(url, STRICT)).rejects.toThrow(/refused: localhost resolves to a private/);
    const target = await resolveTarget(url, DEV);
    expect(isLoopback(target.address)).toBe(true);
    expect([4, 6]).toContain(target.family);
    expect((await resolveTarget(url, INTERNAL)).address).toBe(target.address);
  });

  it('fails for a name that does not resolve', async () => {
    await expect(resolveTarget(new URL('https://no-such-host.invalid/'), STRICT)).rejects.toThrow();
  });
});
