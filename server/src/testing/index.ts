// @ccx/server/testing: what the test suites, the benchmark and its data generator may reach inside the
// hub, in one narrow entry, so no test imports server internals by path. Not part of the public API.
export { openTestDatabase, ownerDbOf, TEST_HUB_ROLE } from './test-database.js';
export { insertClient, authenticateClient } from '../domain/clients/clients.js';
export { openDatabase, preparedDatabaseOf, rowsOf, type Database, type Db } from '../db/index.js';
export { jsonRowReader } from '../db/json-rows.js';
export * as tables from '../db/schema/index.js';
export {
  accessGrants,
  allocations,
  authorities,
  outcomes,
  placements,
  providers,
  provisions,
  restrictions,
} from '../db/schema/index.js';
export {
  ALLOCATION_PREDICATES,
  checkRecord,
  decideRecord,
  explainAccess,
  layerSql,
  policyRecordFor,
  policyValues,
  whatWouldGrant,
  type AllocationFacts,
  type Decision,
  type PolicyRecord,
  type World,
  type WorldAllocation,
  type WorldGrant,
  type WorldPlacement,
} from '../access/index.js';
export { appendAudit, GENESIS_HASH, hashAuditEntry, verifyAuditChain } from '../audit/index.js';
export { hashSecret, newPersonId } from '../auth/secrets.js';
export { openSession, findSession } from '../domain/people/sessions.js';
export { insertInvitedPerson, linkUrl } from '../domain/people/people.js';
export { hashPassword, passwordMatches, PASSWORD_HASH_OPTIONS } from '../auth/passwords.js';
export * as totp from '../auth/totp.js';
export { createMailer, redactSmtpUrl, type Mailer } from '../mail/mailer.js';
export { OidcClients, OidcRefusal, type OidcSettings } from '../auth/oidc.js';
export { RateLimiter } from '../auth/rate-limiter.js';
export { loadConfig } from '../config.js';
export { createLogger } from '../logger.js';
export { seededRandom } from '../demo/data.js';
export { addDays, endOfLondonDay, londonDate } from '../shared/dates.js';
export { addMonths } from '../domain/monitoring/schedule.js';
export { Semaphore } from '../shared/semaphore.js';
export {
  addWorkingDays,
  englandAndWalesBankHolidays,
  isWorkingDay,
  workingDaysBetween,
} from '../domain/calendar/working-days.js';
export { readCheckRows } from '../domain/checks/facts.js';
export { verdictFor, type CheckFacts } from '../domain/checks/verdict.js';
export {
  emitGrantExpiries,
  emitOverdueMonitoring,
  emitRestrictionExpiries,
  expiryEventData,
} from '../domain/jobs/time-jobs.js';
export { emitPassedDeadlines } from '../domain/deadlines/jobs.js';
export {
  snapshotOf,
  toDetail as outcomeDetail,
  toSummary as outcomeSummary,
} from '../domain/outcomes/outcomes.js';
export {
  restrictionLayerSql,
  restrictionPolicyRecord,
  toDetail as restrictionDetail,
  toSummary as restrictionSummary,
} from '../domain/restrictions/restrictions.js';
export { deliverDue, fanOut } from '../events/dispatcher.js';
export { headSeq } from '../events/feed.js';
export { sequenceEvents } from '../events/sequencer.js';
export { signalEventType } from '../events/feed.js';
export {
  checkWebhookUrl,
  isLoopback,
  isPrivateAddress,
  resolveTarget,
  type OutboundPolicy,
} from '../events/ssrf.js';
export { REST_PREFIX, REST_ROUTES, type RestRoute } from '../http/rest/routes.js';
export { startJobs, type Jobs } from '../jobs.js';
