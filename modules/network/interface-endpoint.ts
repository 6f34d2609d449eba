import { Construct } from 'constructs';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { VpcEndpoint } from '@cdktf/provider-aws/lib/vpc-endpoint';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { PolicyDocument } from '../access/policy-document';
import { useStableAddress } from '../naming';
import { GuardrailError, isResolved } from '../validation';
import { EndpointPolicyOptions, dynamoDbServiceName, validateEndpointPolicy } from './endpoint-policy';
import { requireAwsId, requireAwsIds, requireIpv4Cidr } from './ids';
import { policyJson } from '../rendering';

export const HTTPS_PORT = 443;
const SECURITY_GROUP_NAME = /^[A-Za-z0-9 ._\-:/()#,@[\]+=&;{}!$*]{1,255}$/;

export interface DynamoDbInterfaceEndpointProps extends EndpointPolicyOptions {
  /** One subnet per Availability Zone that should get an endpoint network interface. */
  readonly subnetIds: readonly string[];
  /** On-premises IPv4 ranges allowed to connect on 443. @default [] */
  readonly allowedCidrs?: readonly string[];
  /** Client security groups allowed to connect on 443. @default [] */
  readonly allowedSecurityGroupIds?: readonly string[];
  /** Name of the endpoint's security group (unique in the VPC; must not start with `sg-`). */
  readonly securityGroupName: string;
  /** @default {} */
  readonly tags?: Record<string, string>;
}

/**
 * Optional PrivateLink (interface) endpoint `com.amazonaws.<region>.dynamodb` for on-premises clients over Direct
 * Connect or VPN (dynamodb:015), with the same endpoint policy as the gateway endpoint and a security group that
 * admits HTTPS (443) only from the given CIDRs and security groups, with no egress rules.
 *
 * Private DNS is off because DynamoDB interface endpoints do not offer it: clients use the endpoint-specific names
 * (`https://vpce-….dynamodb.<region>.vpce.amazonaws.com`) from `endpoint.dnsEntry`. Workloads inside the VPC keep
 * using the gateway endpoint.
 */
export class DynamoDbInterfaceEndpoint extends Construct {
  readonly endpoint: VpcEndpoint;
  readonly securityGroup: SecurityGroup;
  readonly endpointId: string;
  readonly policyDocument: PolicyDocument;

  constructor(scope: Construct, id: string, props: DynamoDbInterfaceEndpointProps) {
    super(scope, id);
    const subject = this.node.path;
    this.validateProps(subject, props);
    this.policyDocument = validateEndpointPolicy(subject, props);

    this.securityGroup = useStableAddress(
      new SecurityGroup(this, 'security_group', {
        name: props.securityGroupName,
        description: `HTTPS (${HTTPS_PORT}) to the DynamoDB interface endpoint from listed networks only (dynamodb:015)`,
        vpcId: props.vpcId,
        tags: props.tags,
      }),
    );
    for (const cidr of props.allowedCidrs ?? []) {
      this.ingress(`https_from_${cidr}`, { cidrIpv4: cidr, description: `HTTPS from ${cidr}` });
    }
    for (const group of props.allowedSecurityGroupIds ?? []) {
      this.ingress(`https_from_${group}`, { referencedSecurityGroupId: group, description: `HTTPS from ${group}` });
    }
    this.endpoint = useStableAddress(
      new VpcEndpoint(this, 'endpoint', {
        vpcId: props.vpcId,
        serviceName: dynamoDbServiceName(props.region),
        vpcEndpointType: 'Interface',
        subnetIds: [...props.subnetIds],
        securityGroupIds: [this.securityGroup.id],
        privateDnsEnabled: false,
        policy: policyJson(this.policyDocument),
        tags: props.tags,
      }),
      { primary: true },
    );
    this.endpointId = this.endpoint.id;
  }

  private ingress(id: string, source: { cidrIpv4?: string; referencedSecurityGroupId?: string; description: string }): void {
    useStableAddress(
      new VpcSecurityGroupIngressRule(this, id, {
        securityGroupId: this.securityGroup.id,
        ipProtocol: 'tcp',
        fromPort: HTTPS_PORT,
        toPort: HTTPS_PORT,
        ...source,
      }),
    );
  }

  private validateProps(subject: string, props: DynamoDbInterfaceEndpointProps): void {
    requireAwsIds(subject, 'subnetIds', props.subnetIds, 'subnet');
    const cidrs = props.allowedCidrs ?? [];
    const groups = props.allowedSecurityGroupIds ?? [];
    cidrs.forEach((cidr, i) => requireIpv4Cidr(subject, `allowedCidrs[${i}]`, cidr));
    groups.forEach((group, i) => requireAwsId(subject, `allowedSecurityGroupIds[${i}]`, group, 'sg'));
    if (cidrs.length === 0 && groups.length === 0) {
      throw new GuardrailError(subject, 'allowedCidrs', [], 'list the on-premises CIDRs or client security groups allowed to reach the endpoint on 443; otherwise nothing can use it');
    }
    for (const [field, values] of [['allowedCidrs', cidrs], ['allowedSecurityGroupIds', groups]] as const) {
      const duplicate = values.find((v, i) => values.indexOf(v) !== i);
      if (duplicate !== undefined) throw new GuardrailError(subject, field, duplicate, 'is listed twice');
    }
    const name = props.securityGroupName;
    if (isResolved(name) && (!SECURITY_GROUP_NAME.test(name) || name.toLowerCase().startsWith('sg-'))) {
      throw new GuardrailError(subject, 'securityGroupName', name, "must be 1 to 255 characters and must not start with 'sg-'");
    }
  }
}
