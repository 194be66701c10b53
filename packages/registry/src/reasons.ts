// Revocation reason codes recorded on chain (uint8). 2 is what the registry's supersede() records.
export const REVOCATION_REASONS = {
  issuedInError: 1,
  superseded: 2,
  withdrawn: 3,
  keyCompromise: 4,
  fraud: 5,
  other: 6,
} as const;

export type RevocationReason = keyof typeof REVOCATION_REASONS;

export function revocationReasonCode(reason: RevocationReason): number {
  return REVOCATION_REASONS[reason];
}

export function revocationReasonName(code: number): RevocationReason | undefined {
  for (const [name, value] of Object.entries(REVOCATION_REASONS)) {
    if (value === code) return name as RevocationReason;
  }
  return undefined;
}
