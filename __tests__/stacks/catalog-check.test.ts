import { shippedCatalogs } from '../../stacks/app';

const CATALOGS = shippedCatalogs();
import { checkSettingsAgainstCatalogs } from '../../stacks/settings/catalog-check';
import { EXAMPLE_ENVIRONMENTS } from '../../stacks/settings/defaults';
import { EnvironmentSettings } from '../../stacks/settings/types';
import { errorMessageOf } from '../support/errors';

function withProd(change: Partial<EnvironmentSettings>) {
  return { ...EXAMPLE_ENVIRONMENTS, prod: { ...EXAMPLE_ENVIRONMENTS.prod, ...change } };
}

const check = (change: Partial<EnvironmentSettings>) => errorMessageOf(() => checkSettingsAgainstCatalogs(withProd(change), CATALOGS));

describe('settings that name catalogs are checked against the catalogs', () => {
  test('the embedded examples pass', () => {
    expect(() => checkSettingsAgainstCatalogs(EXAMPLE_ENVIRONMENTS, CATALOGS)).not.toThrow();
  });

  test('a misspelled catalog in kmsKeyArns would silently create a new key: refused', () => {
    const arn = 'arn:aws:kms:ap-south-1:333333333333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
    expect(check({ kmsKeyArns: { 'audit-flow': arn } })).toBe(
      `settings: environments.prod.kmsKeyArns.audit-flow = '${arn}': 'audit-flow' is not a catalog; did you mean 'auditflow'? the catalogs are auditflow, manga-assist, ml-platform`,
    );
  });

  test('misspelled catalogs in catalogRegions, networks and backup.copyRegions', () => {
    expect(check({ catalogRegions: { mangaassist: 'us-west-2' } })).toMatch(/^settings: environments\.prod\.catalogRegions\.mangaassist = 'us-west-2': 'mangaassist' is not a catalog/);
    expect(check({ networks: { ...EXAMPLE_ENVIRONMENTS.prod.networks, ml: EXAMPLE_ENVIRONMENTS.prod.networks.auditflow } })).toMatch(/^settings: environments\.prod\.networks\.ml = /);
    expect(check({ backup: { enabled: true, copyRegions: { audit: 'ap-south-2' } } })).toMatch(/^settings: environments\.prod\.backup\.copyRegions\.audit = 'ap-south-2'/);
  });

  test('no deployer principal: the resource policies would lock Terraform out', () => {
    expect(check({ deployerPrincipalArns: [] })).toBe(
      'settings: environments.prod.deployerPrincipalArns = []: needs the principal(s) that run terraform apply, or the table resource policies would lock them out',
    );
  });

  test('two catalogs on one route table: only one DynamoDB gateway endpoint fits', () => {
    const { auditflow, 'manga-assist': manga } = EXAMPLE_ENVIRONMENTS.prod.networks;
    const shared = { ...EXAMPLE_ENVIRONMENTS.prod.networks, 'manga-assist': { ...manga, routeTableIds: [auditflow.routeTableIds[0]] } };
    expect(check({ networks: shared })).toBe(
      `settings: environments.prod.networks.manga-assist.routeTableIds = '${auditflow.routeTableIds[0]}': is also a route table of catalog 'auditflow'; a route table holds only one DynamoDB gateway endpoint`,
    );
  });
});
