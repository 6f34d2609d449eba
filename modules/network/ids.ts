import { GuardrailError, isResolved } from '../validation';

/** AWS resource ids this project receives as inputs (it never creates VPCs, subnets or route tables). */
export type AwsIdKind = 'vpc' | 'rtb' | 'subnet' | 'sg' | 'vpce';

const ID_NAMES: Record<AwsIdKind, string> = {
  vpc: 'a VPC id',
  rtb: 'a route table id',
  subnet: 'a subnet id',
  sg: 'a security group id',
  vpce: 'a VPC endpoint id',
};

export const REGION_PATTERN = /^[a-z]{2}(-gov|-iso[a-z]{0,2})?-[a-z]{2,12}-\d{1,2}$/;
export const ACCOUNT_ID_PATTERN = /^\d{12}$/;

export function awsIdPattern(kind: AwsIdKind): RegExp {
  return new RegExp(`^${kind}-([0-9a-f]{8}|[0-9a-f]{17})$`);
}

export function requireAwsId(subject: string, field: string, value: string, kind: AwsIdKind): void {
  if (!isResolved(value)) return;
  if (!awsIdPattern(kind).test(value)) {
    throw new GuardrailError(subject, field, value, `must be ${ID_NAMES[kind]} ('${kind}-' followed by 8 or 17 lowercase hex digits)`);
  }
}

/** A list of ids: at least `min` entries, no duplicates, each well-formed. */
export function requireAwsIds(subject: string, field: string, values: readonly string[] | undefined, kind: AwsIdKind, min = 1): void {
  const list = values ?? [];
  if (list.length < min) {
    throw new GuardrailError(subject, field, values, `needs at least ${min} ${ID_NAMES[kind].replace(/^an? /, '')}${min === 1 ? '' : 's'}`);
  }
  list.forEach((value, i) => requireAwsId(subject, `${field}[${i}]`, value, kind));
  const resolved = list.filter(isResolved);
  const duplicate = resolved.find((value, i) => resolved.indexOf(value) !== i);
  if (duplicate !== undefined) throw new GuardrailError(subject, field, duplicate, 'is listed twice');
}

export function requireRegion(subject: string, field: string, region: string): void {
  if (isResolved(region) && !REGION_PATTERN.test(region)) {
    throw new GuardrailError(subject, field, region, "must be an AWS region such as 'us-east-1'");
  }
}

export function requireAccountId(subject: string, field: string, accountId: string): void {
  if (isResolved(accountId) && !ACCOUNT_ID_PATTERN.test(accountId)) {
    throw new GuardrailError(subject, field, accountId, 'must be a 12-digit AWS account id');
  }
}

/** An IPv4 CIDR in canonical form (no host bits), narrower than the whole internet. */
export function requireIpv4Cidr(subject: string, field: string, cidr: string): void {
  if (!isResolved(cidr)) return;
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(cidr);
  const octets = match ? match.slice(1, 5).map(Number) : [];
  const prefix = match ? Number(match[5]) : -1;
  if (!match || octets.some((o) => o > 255) || prefix > 32) {
    throw new GuardrailError(subject, field, cidr, "must be an IPv4 CIDR block such as '10.20.0.0/16'");
  }
  if (prefix === 0) {
    throw new GuardrailError(subject, field, cidr, 'would open the endpoint to every network that can route to the VPC; list the on-premises ranges instead');
  }
  const address = octets.reduce((acc, o) => acc * 256 + o, 0);
  const hostBits = 2 ** (32 - prefix);
  if (address % hostBits !== 0) {
    const network = address - (address % hostBits);
    const canonical = [24, 16, 8, 0].map((shift) => Math.floor(network / 2 ** shift) % 256).join('.');
    throw new GuardrailError(subject, field, cidr, `has host bits set; the network address is '${canonical}/${prefix}'`);
  }
}
