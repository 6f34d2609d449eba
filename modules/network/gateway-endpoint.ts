import { Construct } from 'constructs';
import { VpcEndpoint } from '@cdktf/provider-aws/lib/vpc-endpoint';
import { PolicyDocument } from '../access/policy-document';
import { useStableAddress } from '../naming';
import { EndpointPolicyOptions, dynamoDbServiceName, validateEndpointPolicy } from './endpoint-policy';
import { requireAwsIds } from './ids';
import { policyJson } from '../rendering';

export interface DynamoDbGatewayEndpointProps extends EndpointPolicyOptions {
  /** Route tables of the subnets whose workloads reach DynamoDB; each gets a route to the DynamoDB prefix list. */
  readonly routeTableIds: readonly string[];
  /** @default {} */
  readonly tags?: Record<string, string>;
}

/**
 * The free gateway endpoint `com.amazonaws.<region>.dynamodb` on the environment's route tables (dynamodb:015), with
 * seeds 000/001's endpoint policy. A route table can hold only one DynamoDB gateway endpoint, so give each catalog its
 * own VPC (or route tables), as seeds 000 and 001 do.
 */
export class DynamoDbGatewayEndpoint extends Construct {
  readonly endpoint: VpcEndpoint;
  /** `vpce-…` at apply time: use it in `aws:SourceVpce` conditions. */
  readonly endpointId: string;
  readonly policyDocument: PolicyDocument;

  constructor(scope: Construct, id: string, props: DynamoDbGatewayEndpointProps) {
    super(scope, id);
    const subject = this.node.path;
    requireAwsIds(subject, 'routeTableIds', props.routeTableIds, 'rtb');
    this.policyDocument = validateEndpointPolicy(subject, props);

    this.endpoint = useStableAddress(
      new VpcEndpoint(this, 'endpoint', {
        vpcId: props.vpcId,
        serviceName: dynamoDbServiceName(props.region),
        vpcEndpointType: 'Gateway',
        routeTableIds: [...props.routeTableIds],
        policy: policyJson(this.policyDocument),
        tags: props.tags,
      }),
      { primary: true },
    );
    this.endpointId = this.endpoint.id;
  }
}
