export * from './dynamodb-backup';
export * from './vault';
export * from './policies';
export * from './managed-key';
export * from './aws-identifiers';
export {
  MIN_RETENTION_DAYS,
  MAX_RETENTION_DAYS,
  MIN_COLD_STORAGE_DAYS,
  MIN_START_WINDOW_MINUTES,
  MIN_COMPLETION_MARGIN_MINUTES,
  MIN_CHANGEABLE_FOR_DAYS,
  MAX_CHANGEABLE_FOR_DAYS,
  validateSchedule,
} from './validation';
