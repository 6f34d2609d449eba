import { ComplianceRule } from '../types';
import { dynamodb001 } from './dynamodb-001';
import { dynamodb002 } from './dynamodb-002';
import { dynamodb003 } from './dynamodb-003';
import { dynamodb004 } from './dynamodb-004';
import { dynamodb005 } from './dynamodb-005';
import { dynamodb006 } from './dynamodb-006';
import { dynamodb007 } from './dynamodb-007';
import { dynamodb008 } from './dynamodb-008';
import { dynamodb009 } from './dynamodb-009';
import { dynamodb010 } from './dynamodb-010';
import { dynamodb011 } from './dynamodb-011';
import { dynamodb012 } from './dynamodb-012';
import { dynamodb013 } from './dynamodb-013';
import { dynamodb014 } from './dynamodb-014';
import { dynamodb015 } from './dynamodb-015';

/** One rule per requirement, in requirement order. */
export const RULES: readonly ComplianceRule[] = [
  dynamodb001,
  dynamodb002,
  dynamodb003,
  dynamodb004,
  dynamodb005,
  dynamodb006,
  dynamodb007,
  dynamodb008,
  dynamodb009,
  dynamodb010,
  dynamodb011,
  dynamodb012,
  dynamodb013,
  dynamodb014,
  dynamodb015,
];

export { evaluateDynamodb001 } from './dynamodb-001';
export { evaluateDynamodb002 } from './dynamodb-002';
export { evaluateDynamodb003 } from './dynamodb-003';
export { evaluateDynamodb004 } from './dynamodb-004';
export { evaluateDynamodb005 } from './dynamodb-005';
export { evaluateDynamodb006, PRINCIPAL_CONDITION_KEYS } from './dynamodb-006';
export { evaluateDynamodb007, DAX_AWS_LIMIT_REASON } from './dynamodb-007';
export { evaluateDynamodb008 } from './dynamodb-008';
export { evaluateDynamodb009, MIN_DAX_AVAILABILITY_ZONES, MIN_DAX_REPLICATION_FACTOR } from './dynamodb-009';
export { evaluateDynamodb010 } from './dynamodb-010';
export { evaluateDynamodb011 } from './dynamodb-011';
export { evaluateDynamodb012, DYNAMODB_ACTIONS_WITHOUT_RESOURCE_TYPE } from './dynamodb-012';
export { evaluateDynamodb013 } from './dynamodb-013';
export { evaluateDynamodb014 } from './dynamodb-014';
export { evaluateDynamodb015 } from './dynamodb-015';
