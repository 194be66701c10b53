// The organiser API the browser app and the CLI build on: one status model (state, standing, delivery) in
// resources, filters, counts and the export; spreadsheet import (CSV and a real .xlsx written by exceljs) with
// column mapping, row errors and exclusions; re-issue that merges corrections; job progress for one import.

import { parseCsv } from "@intyg/credential";
import { expect } from "chai";
import ExcelJS from "exceljs";
import { type AppHarness, CONFERENCE, createAppHarness, expectJson, expectProblem } from "./helpers/harness";
import { STORE_KINDS } from "./helpers/stores";

type Resource = {
  id: string;
  state: string;
  standing: string | null;
  status: string;
  txHash: string | null;
  revocation: { reason: string; at: string | null; status: string } | null;
  supersededBy: string | null;
  delivery: { status: string; attempts: number; lastError: string | null; sentAt: string | null };
  attendee: { name: string | null; email: string | null; reference: string | null } | null;
  holderUrl: string | null;
  credential: { credentialSubject: Record<string, unknown> } | null;
};
type Page = { items: Resource[]; nextCursor: string | null };
type Counts = {
  total: number;
  state: Record<string, number>;
  standing: Record<string, number>;
  delivery: Record<string, number>;
};
type Preview = {
  format: string;
  columns: { header: string; field: string | null }[];
  fields: string[];
  rows: number;
  valid: number;
  excluded: number[];
  preview: ({ line: number } & Record<string, unknown>)[];
  errors: { line: number; column: string | null; reason: string }[];
};
type Job = {
  id: string;
  status: string;
  total: number;
  pending: number;
  anchored: number;
  failed: number;
  delivery: { queued: number; sent: number; failed: number };
};

const FIRST = ["Åsa", "Örjan", "Märta", "Ängla", "Björn", "Göran", "Sölve", "Karin"];
const LAST = ["Öberg", "Ängström", "Åkesson", "Lindqvist", "Wåhlin", "Sjöberg"];

/** A real workbook as Excel writes it: Swedish headers, an extra column, a date cell, a linked e-mail. */
async function workbook(
  rows: (string | Date | { text: string; hyperlink: string })[][],
): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet("Deltagare");
  ws.addRow(["Namn", "E-post", "Organisation", "Roll", "Delar", "Telefon", "Födelsedatum", "Referens"]);
  for (const row of rows) ws.addRow(row);
  return new Uint8Array(await wb.xlsx.writeBuffer());
}

function attendeeRows(n: number) {
  return Array.from({ length: n }, (_, i) => {
    const name = `${FIRST[i % FIRST.length]} ${LAST[i % LAST.length]} ${i}`;
    const email = `deltagare.${i}@example.se`;
    return [
      name,
      i === 0 ? { text: email, hyperlink: `mailto:${email}` } : email,
      "Göteborgs Stad",
      i === 1 ? "talare" : "deltagare",
      "natverk, seminarier",
      `070-000 00 ${String(i).padStart(2, "0")}`,
      new Date(Date.UTC(1970 + (i % 30), i % 12, 1 + (i % 27))),
      `R-${i}`,
    ];
  });
}

for (const kind of STORE_KINDS) {
  describe(`organiser API: status model, import, re-issue, export (${kind})`, () => {
    let h: AppHarness;
    let eventId: string;

    const upload = (
      path: string,
      file: Uint8Array,
      fields: Record<string, string> = {},
      headers: Record<string, string> = {},
    ) => {
      const form = new FormData();
      form.set("file", new Blob([Buffer.from(file)]), "deltagare.xlsx");
      for (const [key, value] of Object.entries(fields)) form.set(key, value);
      return Promise.resolve(
        h.app.request(path, {
          method: "POST",
          headers: { authorization: `Bearer ${h.apiKey}`, ...headers },
          body: form,
        }),
      );
    };
    const settle = async () => {
      for (let i = 0; i < 3; i++) await h.worker.runOnce();
    };
    const get = async (id: string) => expectJson<Resource>(await h.call("GET", `/v1/credentials/${id}`), 200);
    const list = async (query: string) =>
      expectJson<Page>(await h.call("GET", `/v1/events/${eventId}/credentials?limit=500&${query}`), 200);

    before(async () => {
      h = await createAppHarness(kind, { autoStartWorker: false });
      eventId = (
        await expectJson<{ id: string }>(
          await h.call("POST", "/v1/events", { body: { kind: "event", details: CONFERENCE } }),
          201,
        )
      ).id;
    });
    after(async () => {
      await h?.close();
    });

    it("previews an .xlsx: suggested fields, an unknown column to map, every bad row; writes nothing", async () => {
      const rows = attendeeRows(12);
      rows[4]![1] = "inte-en-adress"; // line 6: bad e-mail
      rows[7]![3] = "kung"; // line 9: unknown role
      const file = await workbook(rows);
      const before = await h.store.credentials.counts(h.organisation.id, { eventId });
      const first = await expectJson<Preview>(
        await upload(`/v1/events/${eventId}/imports/preview`, file),
        200,
      );
      expect(first.format).to.equal("xlsx");
      expect(first.columns).to.deep.equal([
        { header: "Namn", field: "name" },
        { header: "E-post", field: "email" },
        { header: "Organisation", field: "organisation" },
        { header: "Roll", field: "role" },
        { header: "Delar", field: "parts" },
        { header: "Telefon", field: null },
        { header: "Födelsedatum", field: "birthDate" },
        { header: "Referens", field: "reference" },
      ]);
      expect(first.fields).to.include.members(["name", "email", "lang", "team", "parts", "reference"]);
      expect(first.rows).to.equal(12);
      expect(first.errors.map((e) => [e.line, e.column])).to.deep.equal([
        [1, "Telefon"],
        [6, "E-post"],
        [9, "Roll"],
      ]);
      // No personal value is repeated in a reason (the e-mail written wrong, the phone numbers).
      expect(JSON.stringify(first.errors)).to.not.match(/inte-en-adress|070-000/);

      const mapped = await expectJson<Preview>(
        await upload(`/v1/events/${eventId}/imports/preview`, file, {
          mapping: JSON.stringify({ Telefon: null }),
          exclude: JSON.stringify([6]),
        }),
        200,
      );
      expect(mapped.columns.find((c) => c.header === "Telefon")!.field).to.equal(null);
      expect(mapped.errors.map((e) => e.line)).to.deep.equal([9]);
      expect(mapped.excluded).to.deep.equal([6]);
      expect(mapped.valid).to.equal(10);
      expect(mapped.preview).to.have.length(10);
      expect(mapped.preview[0]).to.deep.equal({
        line: 2,
        subject: {
          name: "Åsa Öberg 0",
          email: "deltagare.0@example.se",
          birthDate: "1970-01-01",
          organisation: "Göteborgs Stad",
          role: "participant",
          partsAttended: ["natverk", "seminarier"],
        },
        reference: "R-0",
      });
      expect(JSON.stringify(mapped.preview)).to.not.include("070-000");
      expect(await h.store.credentials.counts(h.organisation.id, { eventId })).to.deep.equal(before);
    });

    it("refuses an import with errors left in (422, every error), then issues once the rows are excluded", async () => {
      const rows = attendeeRows(8);
      rows[2]![1] = "fel.example.se"; // line 4
      const file = await workbook(rows);
      const mapping = JSON.stringify({ Telefon: null });
      const refused = await expectProblem(
        await upload(`/v1/events/${eventId}/imports`, file, { mapping }, { "idempotency-key": "imp-1" }),
        422,
      );
      expect(
        (refused.errors as { line: number; column: string }[]).map((e) => [e.line, e.column]),
      ).to.deep.equal([[4, "E-post"]]);
      expect((await h.store.credentials.counts(h.organisation.id, { eventId })).total).to.equal(0);
      await expectProblem(await upload(`/v1/events/${eventId}/imports`, file, { mapping }), 400);

      const accepted = await expectJson<{ job: Job }>(
        await upload(
          `/v1/events/${eventId}/imports`,
          file,
          { mapping, exclude: "[4]" },
          { "idempotency-key": "imp-2" },
        ),
        202,
      );
      expect(accepted.job).to.include({ status: "queued", total: 7, pending: 7, anchored: 0 });
      // The same key and file again: the same job, nothing issued twice.
      const replay = await upload(
        `/v1/events/${eventId}/imports`,
        file,
        { mapping, exclude: "[4]" },
        { "idempotency-key": "imp-2" },
      );
      expect((await expectJson<{ job: Job }>(replay, 202)).job.id).to.equal(accepted.job.id);
      expect(replay.headers.get("idempotent-replayed")).to.equal("true");

      await settle();
      const job = await expectJson<Job>(await h.call("GET", `/v1/jobs/${accepted.job.id}`), 200);
      expect(job).to.include({ status: "succeeded", total: 7, pending: 0, anchored: 7, failed: 0 });
      const names = (await list("")).items.map((c) => c.attendee?.name);
      expect(names).to.have.length(7);
      expect(names)
        .to.include("Ängla Lindqvist 3")
        .and.not.include("Märta Åkesson 2")
        .and.not.include(undefined);
    });

    it("shows one status model: batch credentials with their transaction, revoked counted as revoked", async () => {
      const items = (await list("")).items;
      expect(items.every((c) => c.state === "anchored" && c.standing === "valid")).to.equal(true);
      expect(items.every((c) => /^0x[0-9a-f]{64}$/.test(c.txHash ?? ""))).to.equal(true);
      expect(items[0]!.delivery).to.deep.equal({
        status: "none",
        attempts: 0,
        lastError: null,
        sentAt: null,
      });
      expect(items[0]!.holderUrl).to.match(/\/holder\//);

      await expectJson(
        await h.call("POST", `/v1/credentials/${items[0]!.id}/revoke`, { body: { reason: "issuedInError" } }),
        202,
      );
      const revoked = await get(items[0]!.id);
      expect(revoked).to.include({ state: "anchored", standing: "revoked" });
      expect(revoked.revocation).to.include({ reason: "issuedInError", status: "requested" });
      expect(revoked.revocation!.at).to.be.a("string");
      await settle();
      expect((await get(items[0]!.id)).revocation!.status).to.equal("confirmed");

      const event = await expectJson<{ counts: Counts; credentials: Record<string, number> }>(
        await h.call("GET", `/v1/events/${eventId}`),
        200,
      );
      expect(event.counts.total).to.equal(7);
      expect(event.counts.state).to.deep.equal({ anchored: 7 });
      expect(event.counts.standing).to.deep.equal({ valid: 6, revoked: 1 });
      expect(event.counts.delivery).to.deep.equal({ none: 7 });
      // The organiser's list of events carries the same counts on each row.
      const events = await expectJson<{ items: { id: string; counts?: Counts }[] }>(
        await h.call("GET", "/v1/events"),
        200,
      );
      expect(events.items.find((e) => e.id === eventId)?.counts).to.deep.equal(event.counts);

      const onlyRevoked = await list("standing=revoked");
      expect(onlyRevoked.items.map((c) => c.id)).to.deep.equal([items[0]!.id]);
      expect((await list("standing=valid")).items).to.have.length(6);
      expect((await list("state=pending")).items).to.have.length(0);
      expect((await list("delivery=none")).items).to.have.length(7);
      await expectProblem(await h.call("GET", `/v1/events/${eventId}/credentials?standing=gone`), 400);
    });

    it("searches by name (whole, a word, or words of it), e-mail or reference, case-insensitively, å ä ö included", async () => {
      const byName = await list(`q=${encodeURIComponent("ÄNGLA lindqvist")}`);
      expect(byName.items.map((c) => c.attendee!.name)).to.deep.equal(["Ängla Lindqvist 3"]);
      // Compared by keyed hashes (no plaintext is stored to search in): whole values, not parts of them.
      expect((await list("q=DELTAGARE.5%40example.SE")).items.map((c) => c.attendee!.email)).to.deep.equal([
        "deltagare.5@example.se",
      ]);
      expect((await list("q=DELTAGARE.5%40")).items).to.have.length(0);
      expect((await list("q=r-7")).items.map((c) => c.attendee!.reference)).to.deep.equal(["R-7"]);
      // LIKE wildcards are searched for as themselves.
      expect((await list("q=%25")).items).to.have.length(0);
      expect((await list("q=_")).items).to.have.length(0);
    });

    it("re-issues with corrections merged: a corrected name, a removed claim, the rest kept; preview changes nothing", async () => {
      const target = (await list(`q=${encodeURIComponent("Björn")}`)).items[0]!;
      const before = await get(target.id);
      const current = before.credential!.credentialSubject;
      const preview = await expectJson<{ current: Record<string, unknown>; result: Record<string, unknown> }>(
        await h.call("POST", `/v1/credentials/${target.id}/reissue`, {
          body: { subject: { name: "Björn Wåhlin-Öst", birthDate: null }, preview: true },
        }),
        200,
      );
      expect(preview.current).to.include({ name: "Björn Wåhlin 4", email: "deltagare.4@example.se" });
      expect(preview.result).to.deep.include({
        name: "Björn Wåhlin-Öst",
        email: "deltagare.4@example.se",
        organisation: "Göteborgs Stad",
        role: "participant",
        partsAttended: ["natverk", "seminarier"],
      });
      expect(preview.result).to.not.have.property("birthDate");
      expect(await get(target.id)).to.deep.include({ supersededBy: null, standing: "valid" });

      const created = await expectJson<Resource>(
        await h.call("POST", `/v1/credentials/${target.id}/reissue`, {
          body: { subject: { name: "Björn Wåhlin-Öst", birthDate: null }, reason: "namnbyte" },
        }),
        201,
      );
      const subject = created.credential!.credentialSubject;
      expect(subject).to.include({ name: "Björn Wåhlin-Öst", email: current.email, role: "participant" });
      expect(subject.organisation).to.equal(current.organisation);
      expect(subject.partsAttended).to.deep.equal(current.partsAttended);
      expect(subject).to.not.have.property("birthDate");
      // One holder identifier, derived afresh from the new credential's own claims and salts.
      expect(preview.result).to.not.have.property("identifier");
      expect(subject.identifier).to.have.length(1);
      expect(subject.identifier).to.not.deep.equal(current.identifier);
      expect(created.attendee).to.deep.equal({
        name: "Björn Wåhlin-Öst",
        email: "deltagare.4@example.se",
        reference: "R-4",
      });
      await settle();
      await settle();
      expect(await get(target.id)).to.deep.include({ standing: "superseded", supersededBy: created.id });
      expect(await get(created.id)).to.deep.include({ state: "anchored", standing: "valid" });
      // A subject that the corrections make invalid is refused before anything is issued.
      await expectProblem(
        await h.call("POST", `/v1/credentials/${created.id}/reissue`, {
          body: { subject: { email: "inte en adress" }, preview: true },
        }),
        400,
      );
    });

    it("erases: state erased, no attendee or holder link; the export carries names and links for Excel", async () => {
      const items = (await list("standing=valid")).items;
      const erased = await expectJson<Resource>(
        await h.call("POST", `/v1/credentials/${items[items.length - 1]!.id}/erase`),
        200,
      );
      expect(erased).to.include({ state: "erased", attendee: null, holderUrl: null });

      const response = await h.call("GET", `/v1/events/${eventId}/export.csv`);
      expect(response.status).to.equal(200);
      expect(response.headers.get("content-type")).to.equal("text/csv; charset=utf-8");
      const bytes = new Uint8Array(await response.arrayBuffer());
      expect([...bytes.slice(0, 3)]).to.deep.equal([0xef, 0xbb, 0xbf]);
      const table = parseCsv(bytes);
      expect(table.separator).to.equal(";");
      expect(table.header!.fields.slice(0, 5)).to.deep.equal([
        "Namn",
        "E-post",
        "Referens",
        "Dokument",
        "Giltighet",
      ]);
      expect(table.rows).to.have.length(8);
      const row = table.rows.find((r) => r.fields[0] === "Ängla Lindqvist 3")!;
      expect(row.fields.slice(1, 5)).to.deep.equal(["deltagare.3@example.se", "R-3", "förankrat", "giltigt"]);
      expect(row.fields[7]).to.match(/^http:\/\/127\.0\.0\.1:8787\/holder\/[A-Za-z0-9_-]+$/);
      const states = table.rows.map((r) => `${r.fields[3]}/${r.fields[4]}`).sort();
      expect(states).to.include.members(["raderat/giltigt", "förankrat/återkallat", "förankrat/ersatt"]);
      const english = parseCsv(
        new Uint8Array(
          await (await h.call("GET", `/v1/events/${eventId}/export.csv?lang=en&sep=,`)).arrayBuffer(),
        ),
      );
      expect(english.separator).to.equal(",");
      expect(english.header!.fields[0]).to.equal("Name");
    });

    it("keeps a name that looks like a formula as text in the export", async () => {
      const issued = await expectJson<{ id: string }>(
        await h.call("POST", `/v1/events/${eventId}/credentials`, {
          body: { subject: { name: '=HYPERLINK("http://evil.example","klicka")' } },
        }),
        201,
      );
      const table = parseCsv(
        new Uint8Array(await (await h.call("GET", `/v1/events/${eventId}/export.csv`)).arrayBuffer()),
      );
      const row = table.rows.find((r) => r.fields[11] === issued.id)!;
      expect(row.fields[0]).to.equal(`'=HYPERLINK("http://evil.example","klicka")`);
    });

    it("filters and counts in SQL exactly as each resource says (state, standing, delivery)", async () => {
      const all = (await list("")).items;
      const kinds = new Set(all.map((c) => `${c.state}/${c.standing}`));
      expect(kinds.size).to.be.at.least(4); // anchored/valid, anchored/revoked, anchored/superseded, erased/…, pending/null
      const event = await expectJson<{ counts: Counts }>(await h.call("GET", `/v1/events/${eventId}`), 200);
      for (const state of ["pending", "anchored", "failed", "cancelled", "erased"]) {
        const ids = (await list(`state=${state}`)).items.map((c) => c.id);
        expect(ids, state).to.deep.equal(all.filter((c) => c.state === state).map((c) => c.id));
        expect(event.counts.state[state] ?? 0, state).to.equal(ids.length);
      }
      for (const standing of ["valid", "revoked", "superseded", "expired"]) {
        const ids = (await list(`standing=${standing}`)).items.map((c) => c.id);
        expect(ids, standing).to.deep.equal(all.filter((c) => c.standing === standing).map((c) => c.id));
        expect(event.counts.standing[standing] ?? 0, standing).to.equal(ids.length);
      }
      expect(event.counts.standing.none ?? 0).to.equal(all.filter((c) => c.standing === null).length);
    });
  });
}
