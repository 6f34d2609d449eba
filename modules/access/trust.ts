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

  static stepFunctions(): RoleTrust {
    return new RoleTrust('service', ['states.amazonaws.com']);
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
  ) {}

  assumeRolePolicy(context: { readonly partition: string; readonly accountId: string }): PolicyDocument {
    const principal =
      this.kind === 'service'
        ? { Service: oneOrMany(this.principals) }
        : { AWS: this.kind === 'account' ? accountRootArn(context.partition, context.accountId) : oneOrMany(this.principals) };
    return policyDocument([{ Sid: 'TrustedToAssume', Effect: 'Allow', Principal: principal, Action: 'sts:AssumeRole' }]);
  }
}
