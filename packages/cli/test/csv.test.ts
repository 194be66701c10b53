// The CLI's side of attendee files: the Idempotency-Key it derives from the rows (reading and checking the
// file is @intyg/credential's, tested there).

import { type IssuanceTarget, readAttendees } from "@intyg/credential";
import { expect } from "chai";
import { defaultIdempotencyKey } from "../src/organiser/issue";

const EVENT: IssuanceTarget = { kind: "event", parts: [] };
const bytes = (text: string) => new TextEncoder().encode(text);

describe("attendee files in the CLI", () => {
  it("derives the same Idempotency-Key from the same rows whatever the encoding details", () => {
    const a = readAttendees(bytes("Namn;E-post\nÅsa;asa@example.se\n"), EVENT);
    const b = readAttendees(bytes("\ufeffnamn;e-post\r\nÅsa;asa@example.se\r\n"), EVENT);
    const c = readAttendees(bytes("Namn;E-post\nÅsa;asa2@example.se\n"), EVENT);
    const key = (list: typeof a, event = "e1") =>
      defaultIdempotencyKey(event, { attendees: list.rows.map((r) => r.attendee) });
    expect(key(a)).to.equal(key(b));
    expect(key(a)).to.match(/^intyg-csv-[0-9a-f]{40}$/);
    expect(key(a)).to.not.equal(key(c));
    expect(key(a)).to.not.equal(key(a, "e2"));
  });
});
