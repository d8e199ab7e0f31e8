/**
 * Whether an access-policy hostname pattern matches a requested hostname. Literal text ignoring
 * case; `*.example.com` matches any deeper name ending in `.example.com` (not `example.com`
 * itself); `*` alone matches every name (DESIGN "Access policies").
 */
export function hostnameMatches(pattern: string, hostname: string): boolean {
  const p = pattern.trim().toLowerCase();
  const h = hostname.trim().toLowerCase();
  if (p === '*') return true;
  if (p.startsWith('*.')) return h.endsWith(p.slice(1)) && h.length > p.length - 1;
  return p === h;
}

const DNS_NAME =
  /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i;

/** A DNS name (`reviews.default.svc`, `api.example.com`): labels of letters, digits and `-`. */
export function isHostname(text: string): boolean {
  return DNS_NAME.test(text);
}

/** What an access policy may name as a host: a DNS name, `*.` + a DNS name, or `*` (all egress). */
export function isHostnamePattern(text: string): boolean {
  if (text === '*') return true;
  return isHostname(text.startsWith('*.') ? text.slice(2) : text);
}

/** A dotted IPv4 address, each part 0–255. */
export function isIpv4(text: string): boolean {
  return ipv4ToInt(text) !== undefined;
}

/** An IPv4 address or CIDR block (`10.0.0.0/8`, prefix 0–32). */
export function isCidrBlock(text: string): boolean {
  const [base, bits, extra] = text.split('/');
  if (extra !== undefined || base === undefined || !isIpv4(base)) return false;
  return bits === undefined || (/^\d{1,2}$/.test(bits) && Number(bits) <= 32);
}

function ipv4ToInt(ip: string): number | undefined {
  const parts = ip.split('.');
  if (parts.length !== 4) return undefined;
  let n = 0;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part)) return undefined;
    const v = Number(part);
    if (v > 255) return undefined;
    n = n * 256 + v;
  }
  return n;
}

/** Whether an IPv4 address lies in a CIDR block (`10.0.0.0/8`; a bare address means /32). */
export function cidrContains(cidr: string, ip: string): boolean {
  const [base, bitsText] = cidr.split('/');
  const bits = bitsText === undefined ? 32 : Number(bitsText);
  const b = base === undefined ? undefined : ipv4ToInt(base);
  const a = ipv4ToInt(ip);
  if (a === undefined || b === undefined || !Number.isInteger(bits) || bits < 0 || bits > 32) {
    return false;
  }
  if (bits === 0) return true;
  const mask = bits === 32 ? 0xffffffff : (0xffffffff << (32 - bits)) >>> 0;
  return (a & mask) >>> 0 === (b & mask) >>> 0;
}
