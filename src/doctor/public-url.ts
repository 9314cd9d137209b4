import { BlockList, isIP } from 'node:net';

/** Addresses no one outside this network reaches (RFC 1918, loopback, link-local, CGNAT, ULA). */
const PRIVATE = new BlockList();
for (const [net, prefix] of [
  ['10.0.0.0', 8],
  ['172.16.0.0', 12],
  ['192.168.0.0', 16],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['100.64.0.0', 10],
  ['0.0.0.0', 8],
] as const) {
  PRIVATE.addSubnet(net, prefix, 'ipv4');
}
for (const [net, prefix] of [
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['::', 128],
] as const) {
  PRIVATE.addSubnet(net, prefix, 'ipv6');
}

const LOCAL_NAMES = /(^|\.)(localhost|local|internal|lan|home\.arpa)$/i;

/** Why Slack or Microsoft could not call this URL, or undefined when it is public HTTPS. */
export function whyNotPublicHttps(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return `${value} is not a URL`;
  }
  if (url.protocol !== 'https:') return `${value} is not HTTPS (Slack and Teams call HTTPS endpoints only)`;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const family = isIP(host);
  if (family !== 0 && PRIVATE.check(host, family === 4 ? 'ipv4' : 'ipv6')) {
    return `${url.hostname} is a private or loopback address, not reachable from the internet`;
  }
  if (family === 0 && (LOCAL_NAMES.test(host) || !host.includes('.'))) {
    return `${url.hostname} is a local host name, not reachable from the internet`;
  }
  return undefined;
}
