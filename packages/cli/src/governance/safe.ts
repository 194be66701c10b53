// A batch of calls as the Safe{Wallet} Transaction Builder imports it: @intyg/registry's, shared with the
// service's onboarding.

export { type SafeBatch, type SafeBatchParameters, safeBatch } from "@intyg/registry";
