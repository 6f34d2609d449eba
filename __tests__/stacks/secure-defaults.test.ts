import { AccessProfile, RoleTrust } from '../../modules/access';
import { loadCatalog } from '../../stacks/catalogs/registry';
import { withSecureDefaults } from '../../stacks/catalogs/secure-defaults';
import type { Catalog } from '../../stacks/catalogs/types';
import { mangaAssistCatalog } from '../../stacks/catalogs/manga-assist';
import { errorMessageOf } from '../support/errors';

const table = (id: string, baseName: string) => ({ id, baseName, partitionKey: { name: 'pk', type: 'S' as const } });
const role = (id: string, tables: string[], vpcEndpointOnly: boolean) => ({
  id,
  roleName: `shop-${id}`,
  description: id,
  trust: RoleTrust.lambda(),
  grants: tables.map((name) => ({ table: name, profile: AccessProfile.reader() })),
  vpcEndpointOnly,
});

describe('secure defaults of a catalog', () => {
  test('a table with no resource policy gets one naming the roles granted it; the VPC endpoint is required when all of them use it', () => {
    const catalog: Catalog = { name: 'shop', project: 'shop', tables: [table('orders', 'Orders'), table('carts', 'Carts')], accessPatterns: [], roles: [role('api', ['orders', 'carts'], true), role('report', ['orders'], false)] };
    const effective = withSecureDefaults(catalog);
    expect(effective.resourcePolicies).toEqual([
      { table: 'orders', roles: ['api', 'report'], requireVpcEndpoint: false },
      { table: 'carts', roles: ['api'], requireVpcEndpoint: true },
    ]);
    expect(effective.endpoint).toEqual({ tableNamePrefixes: ['Orders', 'Carts'] });
  });

  test("a catalog's own policies and endpoint are kept (negative control: the shipped catalogs are unchanged)", () => {
    expect(withSecureDefaults(mangaAssistCatalog)).toBe(mangaAssistCatalog);
    const declared: Catalog = { name: 'shop', project: 'shop', tables: [table('orders', 'Orders')], accessPatterns: [], resourcePolicies: [{ table: 'orders', roles: [], requireVpcEndpoint: false }] };
    expect(withSecureDefaults(declared).resourcePolicies).toEqual(declared.resourcePolicies);
  });

  test('a catalog file must be named like its folder', () => {
    const message = errorMessageOf(() => loadCatalog({ file: 'stacks/catalogs/orders/index.ts', load: () => ({ shop: { name: 'shop', project: 'shop', tables: [table('orders', 'Orders')], accessPatterns: [] } }) }));
    expect(message).toBe("catalog file stacks/catalogs/orders/index.ts: name = 'shop': must be the name of its folder ('orders'): a catalog is found by its folder; rename the folder or the catalog");
  });
});
