// Attendee files as Swedish spreadsheets export them: parsing, headers, and every kind of bad row with its line.

import { expect } from "chai";
import { formatCsv, parseCsv } from "../src/attendees/csv";
import { type IssuanceTarget, readAttendees, readAttendeeTable, suggestField } from "../src/attendees/read";

const EVENT: IssuanceTarget = {
  kind: "event",
  parts: [
    { id: "natverksdag", name: "Nätverksdag", kind: "networking" },
    { id: "seminariedag-1", name: "Seminariedag 1", kind: "seminar" },
    { id: "seminariedag-2", name: "Seminariedag 2", kind: "seminar" },
    { id: "hackathon", name: "Hackathon: tillförlitliga data", kind: "hackathon" },
  ],
};
const COURSE: IssuanceTarget = { kind: "course", parts: [] };

const bytes = (text: string) => new TextEncoder().encode(text);
const bom = (text: string) => bytes(`\ufeff${text}`);

function errorsOf(text: string, target: IssuanceTarget = EVENT, lang: "sv" | "en" = "sv") {
  return readAttendees(bytes(text), target, { lang }).errors;
}

describe("attendee files (CSV)", () => {
  it("reads an Excel 'CSV UTF-8' export: BOM, ;, CRLF, Swedish headers, å ä ö intact", () => {
    const list = readAttendees(
      bom(
        "Namn;E-post;Födelsedatum;Organisation;Roll;Delar\r\n" +
          "Åsa Öberg;asa.oberg@example.se;1975-03-14;Göteborgs Stad;talare;natverksdag, hackathon\r\n" +
          "Örjan Ängström;orjan.angstrom@example.se;;Västra Götalandsregionen;deltagare;Seminariedag 1\r\n",
      ),
      EVENT,
    );
    expect(list.errors).to.deep.equal([]);
    expect(list.separator).to.equal(";");
    expect(list.rows.map((r) => r.line)).to.deep.equal([2, 3]);
    expect(list.rows[0]!.attendee).to.deep.equal({
      subject: {
        name: "Åsa Öberg",
        email: "asa.oberg@example.se",
        birthDate: "1975-03-14",
        organisation: "Göteborgs Stad",
        role: "speaker",
        partsAttended: ["natverksdag", "hackathon"],
      },
    });
    expect(list.rows[1]!.attendee.subject).to.include({
      name: "Örjan Ängström",
      organisation: "Västra Götalandsregionen",
      role: "participant",
    });
    expect(list.rows[1]!.attendee.subject.partsAttended).to.deep.equal(["seminariedag-1"]);
  });

  it("reads the same file without BOM and with LF line ends the same way", () => {
    const text = "namn;e-post\nÄngla Åkesson;angla@example.se\n";
    const a = readAttendees(bytes(text), EVENT);
    const b = readAttendees(bom(text.replace(/\n/g, "\r\n")), EVENT);
    expect(a.rows).to.deep.equal(b.rows);
    expect(a.rows[0]!.attendee.subject.name).to.equal("Ängla Åkesson");
  });

  it("keeps ; line breaks and doubled quotes inside quoted fields, and counts lines across them", () => {
    const list = readAttendees(
      bytes(
        'Namn;Organisation;Referens\r\n"Berg; Per";"Region ""Norr""";"rad ett\r\nrad två"\r\nEva Ek;"Kommun; förvaltning";x\r\n' +
          "Bo Bå;;\r\n",
      ),
      EVENT,
    );
    expect(list.errors).to.deep.equal([]);
    expect(list.rows.map((r) => r.line)).to.deep.equal([2, 4, 5]);
    expect(list.rows[0]!.attendee.subject).to.include({ name: "Berg; Per", organisation: 'Region "Norr"' });
    expect(list.rows[0]!.attendee.reference).to.equal("rad ett\nrad två");
    expect(list.rows[1]!.attendee.subject.organisation).to.equal("Kommun; förvaltning");
  });

  it("takes , (or a tab, or an Excel sep= line) when the header row says so", () => {
    const comma = readAttendees(
      bytes('name,email,parts\nAnna Andersson,anna@example.se,"natverksdag,hackathon"\n'),
      EVENT,
    );
    expect(comma.errors).to.deep.equal([]);
    expect(comma.separator).to.equal(",");
    expect(comma.rows[0]!.attendee.subject.partsAttended).to.deep.equal(["natverksdag", "hackathon"]);
    const tab = readAttendees(bytes("Namn\tE-post\nKarin Sjöberg\tkarin@example.se\n"), EVENT);
    expect(tab.rows[0]!.attendee.subject).to.deep.equal({ name: "Karin Sjöberg", email: "karin@example.se" });
    const sep = readAttendees(
      bytes("sep=,\r\nNamn,E-post\r\nLars Ström,lars@example.se\r\nBo,bo\r\n"),
      EVENT,
    );
    expect(sep.rows[0]!.line).to.equal(3);
    expect(sep.errors).to.deep.equal([{ line: 4, column: "E-post", message: "e-postadressen saknar @" }]);
  });

  it("accepts Swedish and English headers in any case, and first + last name columns", () => {
    const list = readAttendees(
      bytes(
        "FÖRNAMN;Efternamn;E-MAIL;Birth Date;ROLE;Team;Wallet;Valid Until;Reference;Resultat\n" +
          "Måns;Wåhlin;mans@example.se;1980-01-31;hackathon-team-member;Lag Vårdkedjan;0x70997970C51812dc3A010C7d01b50e0d17dc79C8;2099-12-31;A-17;Godkänd\n",
      ),
      EVENT,
    );
    expect(list.errors).to.deep.equal([]);
    expect(list.rows[0]!.attendee).to.deep.equal({
      subject: {
        name: "Måns Wåhlin",
        email: "mans@example.se",
        birthDate: "1980-01-31",
        role: "hackathon-team-member",
        team: "Lag Vårdkedjan",
        result: [{ type: ["Result"], value: "Godkänd" }],
      },
      holder: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8",
      validUntil: "2099-12-31T23:59:59Z",
      reference: "A-17",
    });
  });

  it("skips the empty ;;; rows spreadsheets add and reads a last row without a line end", () => {
    const list = readAttendees(
      bytes("Namn;E-post\n;\nPer Persson;per@example.se\n;;\n\nUlla Ek;ulla@example.se"),
      EVENT,
    );
    expect(list.errors).to.deep.equal([]);
    expect(list.rows.map((r) => [r.line, r.attendee.subject.name])).to.deep.equal([
      [3, "Per Persson"],
      [6, "Ulla Ek"],
    ]);
  });

  it("reads Excel's plain 'CSV' (Windows-1252) and says so", () => {
    const latin1 = Uint8Array.from([
      ...Buffer.from("Namn;E-post\r\n", "latin1"),
      ...Buffer.from("Åsa Öberg;asa@example.se\r\n", "latin1"),
    ]);
    const list = readAttendees(latin1, EVENT);
    expect(list.rows[0]!.attendee.subject.name).to.equal("Åsa Öberg");
    expect(list.notes.join()).to.match(/Windows-1252/);
  });

  it("writes CSV that reads back the same (round trip with å ä ö, ; and quotes)", () => {
    const rows = [
      ["Åsa Öberg", 'Region "Väst"; enhet', "rad 1\nrad 2"],
      ["", " blank ", "ö"],
    ];
    const text = formatCsv(["a", "b", "c"], rows);
    expect(text.startsWith("\ufeff")).to.equal(true);
    const table = parseCsv(bytes(text));
    expect(table.header!.fields).to.deep.equal(["a", "b", "c"]);
    expect(table.rows.map((r) => r.fields)).to.deep.equal(rows);
  });

  it("reports every bad row with its line, in Swedish", () => {
    const file = [
      "Namn;E-post;Födelsedatum;Roll;Delar;Plånbok;Giltig till", // 1
      "Anna Andersson;anna@example.se;;;;;", // 2 ok
      ";utan.namn@example.se;;;;;", // 3
      "Bo Bå;bo.example.se;;;;;", // 4
      "Cecilia;cecilia@@example;;;;;", // 5
      "Dan;anna@example.se;;;;;", // 6 duplicate of 2
      "Eva;eva@example.se;14/3/1975;;;;", // 7
      "Fia;fia@example.se;19750314-1234;;;;", // 8
      "Gun;gun@example.se;2999-01-01;;;;", // 9
      "Hans;hans@example.se;;kung;;;", // 10
      "Ida;ida@example.se;;;middag;;", // 11
      "Jan;jan@example.se;;;natverksdag,Nätverksdag;;", // 12
      "Kim;kim@example.se;;;;0x1234;", // 13
      "Lo;lo@example.se;;;;0x70997970c51812dc3a010c7d01b50e0d17dc79c8;", // 14
      "Mo;mo@example.se;;;;0x70997970C51812DC3A010C7D01B50E0D17DC79C8;", // 15 same wallet
      "Ny;ny@example.se;;;;;30 juni", // 16
      "Ox;ox@example.se;;;;;2001-01-01", // 17
      "Pia;pia@example.se;;;;;;extra", // 18
      "Qi;qi@example.se;1975-02-30;;;;", // 19
    ].join("\r\n");
    const errors = errorsOf(file);
    const byLine = (line: number) => errors.filter((e) => e.line === line).map((e) => e.message);
    expect(byLine(2)).to.deep.equal([]);
    expect(byLine(3)).to.deep.equal(["namn saknas"]);
    expect(byLine(4)).to.deep.equal(["e-postadressen saknar @"]);
    expect(byLine(5)).to.deep.equal(["e-postadressen är ogiltig"]);
    expect(byLine(6)).to.deep.equal(["samma e-postadress som rad 2"]);
    expect(byLine(7)).to.deep.equal(["födelsedatumet ska skrivas ÅÅÅÅ-MM-DD"]);
    expect(byLine(8)[0]).to.match(/personnummer/);
    expect(byLine(9)[0]).to.match(/framtiden/);
    expect(byLine(10)[0]).to.match(/^okänd roll "kung"/);
    expect(byLine(11)[0]).to.match(/^okänd del "middag" \(evenemangets delar: natverksdag, seminariedag-1/);
    expect(byLine(12)).to.deep.equal(['delen "Nätverksdag" står två gånger']);
    expect(byLine(13)[0]).to.match(/^plånboksadressen är ogiltig/);
    expect(byLine(14)).to.deep.equal([]);
    expect(byLine(15)).to.deep.equal(["samma plånboksadress som rad 14"]);
    expect(byLine(16)).to.deep.equal(['giltighetstiden "30 juni" ska skrivas ÅÅÅÅ-MM-DD']);
    expect(byLine(17)).to.deep.equal(["giltighetstiden 2001-01-01 har redan gått ut"]);
    expect(byLine(18)[0]).to.match(/^8 fält men rubrikraden har 7/);
    expect(byLine(19)).to.deep.equal(["födelsedatumet ska skrivas ÅÅÅÅ-MM-DD"]);
    expect(new Set(errors.map((e) => e.line)).size).to.equal(16);
  });

  it("reports bad rows in English with --lang en", () => {
    const errors = errorsOf("name;email\n;a@example.se\nB;b-at-example.se\n", EVENT, "en");
    expect(errors).to.deep.equal([
      { line: 2, column: "name", message: "the name is missing" },
      { line: 3, column: "email", message: "the e-mail address has no @" },
    ]);
  });

  it("refuses parts for a course, and for an event without parts", () => {
    expect(errorsOf("Namn;Delar\nA;natverksdag\n", COURSE)[0]).to.deep.include({ line: 2 });
    expect(errorsOf("Namn;Delar\nA;natverksdag\n", COURSE)[0]!.message).to.match(/kurs har inga delar/);
    expect(errorsOf("Namn;Delar\nA;natverksdag\n", { kind: "event", parts: [] })[0]!.message).to.match(
      /inga delar/,
    );
  });

  it("refuses bad quoting with the line the field starts on", () => {
    expect(errorsOf('Namn;Organisation\nA;"Göteborgs Stad"x\nB;b\n')).to.deep.equal([
      {
        line: 2,
        column: null,
        message: 'text efter ett avslutande citattecken — skriv citattecken i ett fält som ""',
      },
    ]);
    expect(errorsOf('Namn;Organisation\nA;a\nB;"Borås\nC;c\n')).to.deep.equal([
      { line: 3, column: null, message: 'ett citattecken (") stängs aldrig — fältet fortsätter filen ut' },
    ]);
  });

  it("refuses bad headers: unknown, twice, personnummer, no name column; and empty files", () => {
    expect(errorsOf("Namn;Telefon\nA;0701234567\n")[0]!.message).to.match(/^okänd kolumn "Telefon"/);
    expect(errorsOf("Namn;E-post;Email\nA;a@example.se;a@example.se\n")[0]!.message).to.equal(
      'kolumnen "Email" finns två gånger',
    );
    expect(errorsOf("Namn;Personnummer\nA;197503141234\n")[0]!.message).to.match(
      /personnummer hör inte hemma/,
    );
    expect(errorsOf("E-post\na@example.se\n").map((e) => e.message)).to.include(
      "rubrikraden saknar en kolumn för namn (namn, eller förnamn och efternamn)",
    );
    expect(errorsOf("")).to.deep.equal([
      { line: 1, column: null, message: "filen har ingen rubrikrad och inga rader" },
    ]);
    expect(errorsOf("\ufeffNamn;E-post\r\n;\r\n")).to.deep.equal([
      { line: 1, column: null, message: "filen har en rubrikrad men inga deltagare" },
    ]);
  });

  it("maps columns: suggestions in Swedish and English, a chosen field, an ignored column", () => {
    expect(suggestField("E-post")).to.equal("email");
    expect(suggestField("Lag")).to.equal("team");
    expect(suggestField("Språk")).to.equal("lang");
    expect(suggestField("Telefon")).to.equal(null);
    const file = bytes(
      "Deltagarens namn;Mejl;Telefon;Språk\nÅsa Öberg;asa@example.se;070-1234567;engelska\n",
    );
    const refused = readAttendees(file, EVENT);
    expect(refused.errors.map((e) => [e.line, e.column])).to.deep.equal([
      [1, "Deltagarens namn"],
      [1, "Telefon"],
      [1, null],
      [2, null],
    ]);
    const list = readAttendees(file, EVENT, { mapping: { "Deltagarens namn": "name", Telefon: null } });
    expect(list.errors).to.deep.equal([]);
    expect(list.mapping).to.deep.equal([
      { header: "Deltagarens namn", field: "name" },
      { header: "Mejl", field: "email" },
      { header: "Telefon", field: null },
      { header: "Språk", field: "lang" },
    ]);
    expect(list.rows[0]!.attendee).to.deep.equal({
      subject: { name: "Åsa Öberg", email: "asa@example.se" },
      lang: "en",
    });
    expect(JSON.stringify(list)).to.not.include("070-1234567");
    // Unknown columns left out by a flag rather than one by one; a mapping naming no column is an error.
    const ignoring = readAttendees(file, EVENT, {
      mapping: { "Deltagarens namn": "name" },
      ignoreUnknown: true,
    });
    expect(ignoring.errors).to.deep.equal([]);
    expect(ignoring.notes.join()).to.match(/Telefon/);
    expect(readAttendees(file, EVENT, { mapping: { Fax: null } }).errors[0]).to.deep.include({
      column: "Fax",
    });
  });

  it("never repeats an attendee's e-mail, birth date or wallet in a message", () => {
    const list = readAttendeeTable(
      {
        header: { line: 1, fields: ["Namn", "E-post", "Födelsedatum", "Plånbok"] },
        rows: [
          { line: 2, fields: ["A", "hemlig.adress-at-example.se", "", ""] },
          { line: 3, fields: ["B", "", "19750314-1234", ""] },
          { line: 4, fields: ["C", "", "31/12/1975", "0xhemlig"] },
        ],
      },
      EVENT,
      { lang: "en" },
    );
    expect(list.errors).to.have.length(4);
    const text = JSON.stringify(list.errors);
    for (const secret of ["hemlig", "19750314", "31/12/1975"]) expect(text).to.not.include(secret);
    expect(list.errors.map((e) => e.column)).to.deep.equal([
      "E-post",
      "Födelsedatum",
      "Födelsedatum",
      "Plånbok",
    ]);
    expect(list.total).to.equal(3);
  });
});
