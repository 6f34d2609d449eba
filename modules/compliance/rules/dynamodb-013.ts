import { checkCustomerManagedKey } from '../kms';
import { describe, isTrue, parseReference, ResourceEntry, StackView } from '../terraform';
import { ComplianceRule, Finding, TerraformJson } from '../types';
import { compliant, forEachTable, nonCompliant } from './support';

/**
 * dynamodb:013 — every table has a DynamoDB stream (change data capture); the view type is reported. Change data sent
 * on to Kinesis (`aws_dynamodb_kinesis_streaming_destination`) must land in a stream encrypted with a customer-managed
 * key, which the artifact shows only for a stream of the same stack.
 */
export function evaluateDynamodb013(json: TerraformJson): Finding[] {
  const view = new StackView(json);
  return [...tableStreams(view), ...view.resources('aws_dynamodb_kinesis_streaming_destination').map((destination) => kinesisDestination(view, destination))];
}

function kinesisDestination(view: StackView, destination: ResourceEntry): Finding {
  const reference = parseReference(destination.config.stream_arn);
  const stream = reference?.type === 'aws_kinesis_stream' ? view.resolve(reference) : undefined;
  if (!stream) {
    const checked = view.data('aws_kinesis_stream').find((data) => data.config.name === String(destination.config.stream_arn).split('/').pop() && JSON.stringify(data.config.lifecycle ?? {}).includes('self.encryption_type == \\"KMS\\"'));
    if (checked) {
      return compliant('dynamodb:013', destination.address, `stream_arn = ${describe(destination.config.stream_arn)} is a stream outside this stack; ${checked.address} checks at plan time that it is encrypted with the stated customer-managed key (the plan stops otherwise)`);
    }
    return nonCompliant(
      'dynamodb:013',
      destination.address,
      `stream_arn = ${describe(destination.config.stream_arn)} is a stream outside this stack: its encryption is not visible here`,
      'let SecureTable create the stream (kinesisDestination.streams: "create"), or waive dynamodb:013 for this destination naming the stream\'s customer-managed key',
    );
  }
  if (stream.config.encryption_type !== 'KMS') {
    return nonCompliant('dynamodb:013', destination.address, `${stream.address} has encryption_type = ${describe(stream.config.encryption_type)}: change records are stored unencrypted`, 'set encryption_type = "KMS" with a customer-managed kms_key_id');
  }
  const key = checkCustomerManagedKey(view, stream.config.kms_key_id, view.regionOf(stream.config));
  if (!key.ok) return nonCompliant('dynamodb:013', destination.address, `${stream.address}: ${key.detail}`, key.fix ?? 'encrypt the stream with a customer-managed key');
  return compliant('dynamodb:013', destination.address, `change records go to ${stream.address}, encrypted with ${key.detail}`);
}

function tableStreams(view: StackView): Finding[] {
  return forEachTable('dynamodb:013', view, (table) => {
    const enabled = table.config.stream_enabled;
    const viewType = table.config.stream_view_type;
    if (isTrue(enabled)) {
      const shown = typeof viewType === 'string' ? viewType : '(not set)';
      return compliant('dynamodb:013', table.address, `stream_enabled = true, stream_view_type = ${shown}`);
    }
    return nonCompliant(
      'dynamodb:013',
      table.address,
      `stream_enabled = ${describe(enabled)}: changes to the table are not captured`,
      'set stream_enabled = true and stream_view_type = "NEW_AND_OLD_IMAGES" (SecureTable stream, the default)',
    );
  });
}

export const dynamodb013: ComplianceRule = { requirement: 'dynamodb:013', evaluate: evaluateDynamodb013 };
