// The registry's enums as the numbers its views return (Solidity enums are uint8 in the ABI).

/** `IIntygRegistry.OrganisationStatus`. */
export const ORGANISATION_STATUS = { none: 0, active: 1, suspended: 2 } as const;

export type OrganisationStatus = (typeof ORGANISATION_STATUS)[keyof typeof ORGANISATION_STATUS];

/** `IIntygRegistry.EventKind`: an event (attendance) or a course. */
export const EVENT_KIND = { none: 0, event: 1, course: 2 } as const;

export type EventKind = (typeof EVENT_KIND)[keyof typeof EVENT_KIND];
