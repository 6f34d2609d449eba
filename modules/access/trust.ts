import { accountRootArn } from './arns';
import { PolicyDocument, oneOrMany, policyDocument } from './policy-document';

export type TrustKind = 'service' | 'principals' | 'account';

/**
 * Who may assume a role. One role per function (seed 001): build it with `RoleTrust.lambda()`,
 * `RoleTrust.stepFunctions()`, `RoleTrust.service(...)`, `RoleTrust.principals([...])` for named IAM principals, or
 * `RoleTrust.sameAccount()` to delegate to IAM policies in the role's own account (human roles such as seed 000's
 * ML scientist role, assumed through SSO or federation).
 */
export class RoleTrust {
  static lambda(): RoleTrust {
    return new RoleTrust('service', ['lambda.amazonaws.com']);
  }

  /**
   * Step Functions passes the state machine's account and ARN when it assumes the role, and AWS recommends requiring
   * them (Step Functions Developer Guide, "Creating an IAM role for your state machine": "Prevent cross-service
   * confused deputy issue"), so another account's state machine cannot use this role.
   */
  static stepFunctions(): RoleTrust {
    return new RoleTrust('service', ['states.amazonaws.com'], (partition, accountId) => ({
      StringEquals: { 'aws:SourceAccount': accountId },
      ArnLike: { 'aws:SourceArn': `arn:${partition}:states:*:${accountId}:stateMachine:*` },
    }));
  }

  static service(...servicePrincipals: string[]): RoleTrust {
    return new RoleTrust('service', servicePrincipals);
  }

  static principals(principalArns: readonly string[]): RoleTrust {
    return new RoleTrust('principals', principalArns);
  }

  static sameAccount(): RoleTrust {
    return new RoleTrust('account', []);
  }

  private constructor(
    readonly kind: TrustKind,
    /** Service principals (`lambda.amazonaws.com`) or IAM principal ARNs, depending on kind. */
    readonly principals: readonly string[],
    /**
     * Confused-deputy conditions, only for services documented to send aws:SourceAccount/aws:SourceArn when they
     * assume a role: a condition on a key the service does not send denies the service itself. Lambda, AWS Backup,
     * DAX and CloudTrail's CloudWatch Logs role document none (CloudTrail says the keys are not supported), so their
     * trust policies name the service principal alone (help/access.md, "Trust policies").
     */
    private readonly sourceConditions?: (partition: string, accountId: string) => Record<string, Record<string, string>>,
  ) {}

  assumeRolePolicy(context: { readonly partition: string; readonly accountId: string }): PolicyDocument {
    const principal =
      this.kind === 'service'
        ? { Service: oneOrMany(this.principals) }
        : { AWS: this.kind === 'account' ? accountRootArn(context.partition, context.accountId) : oneOrMany(this.principals) };
    const condition = this.sourceConditions?.(context.partition, context.accountId);
    return policyDocument([{ Sid: 'TrustedToAssume', Effect: 'Allow', Principal: principal, Action: 'sts:AssumeRole', ...(condition ? { Condition: condition } : {}) }]);
  }
}
