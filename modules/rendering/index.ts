/**
 * JSON documents (IAM, key, resource and endpoint policies, dashboards) as the string Terraform receives.
 *
 * A document that contains Terraform references (`${aws_x.y.arn}`) is pretty-printed over several lines. In JSON
 * output that is still a literal, auditable JSON string; in `cdktf synth --hcl` output cdktf renders multi-line
 * strings as heredocs, where the quotes need no escaping. (It renders a single-line string that contains a reference
 * with its quotes unescaped, which Terraform rejects.) AWS compares policies semantically, so whitespace never shows
 * up as a change in a plan.
 */
export function policyJson(document: unknown): string {
  const compact = JSON.stringify(document);
  return compact.includes('${') ? JSON.stringify(document, null, 2) : compact;
}
