import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Writable } from "node:stream";
import { DEV_PRIVATE_KEYS } from "@intyg/devchain";
import { expect } from "chai";
import { HttpRequestError } from "viem";
import { createApp } from "../src/http/app";
import { createLogger, errorText, logFileFromEnv, serializeError } from "../src/logger";
import { createHarness, expectProblem } from "./helpers/harness";

function buffer() {
  let text = "";
  const stream = new Writable({
    write(chunk, _encoding, done) {
      text += chunk.toString();
      done();
    },
  });
  return { stream, text: () => text };
}

const API_KEY = "intyg_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_abcde";

describe("logger", () => {
  it("also writes every line, redacted, to INTYG_LOG_FILE at INTYG_LOG_FILE_LEVEL, even when silent", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "intyg-log-"));
    const file = logFileFromEnv({
      INTYG_LOG_FILE: path.join(dir, "a", "service.log"),
      INTYG_LOG_FILE_LEVEL: "debug",
    });
    const out = buffer();
    const logger = createLogger({ level: "warn", destination: out.stream, file });
    logger.debug({ apiKey: API_KEY, batch: "b1" }, "debug line");
    logger.warn({ authorization: `Bearer ${API_KEY}`, email: "hedvig@example.se" }, "warn line");
    const silent = createLogger({ level: "silent", file });
    silent.info({ privateKey: DEV_PRIVATE_KEYS[2] }, "from a silent logger");
    const lines = readFileSync(file!.path, "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => l.msg)).to.deep.equal(["debug line", "warn line", "from a silent logger"]);
    expect(lines[0].apiKey).to.equal("[redacted]");
    expect(lines[1].authorization).to.equal("[redacted]");
    expect(lines[2].privateKey).to.equal("[redacted]");
    // The logger's own destination keeps its own level.
    expect(
      out
        .text()
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l).msg),
    ).to.deep.equal(["warn line"]);
    const all = readFileSync(file!.path, "utf8") + out.text();
    for (const secret of [API_KEY, DEV_PRIVATE_KEYS[2], "hedvig@example.se"])
      expect(all).not.to.contain(secret);
  });

  it("INTYG_LOG_DIR: one file per process; nothing without either variable", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "intyg-log-"));
    const file = logFileFromEnv({ INTYG_LOG_DIR: dir, INTYG_LOG_NAME: "svc/../x" });
    expect(file).to.deep.equal({ path: path.join(dir, `svc____x-${process.pid}.log`), level: "info" });
    createLogger({ level: "silent", file }).info("hello");
    expect(readdirSync(dir)).to.deep.equal([`svc____x-${process.pid}.log`]);
    expect(logFileFromEnv({})).to.equal(null);
    expect(() => logFileFromEnv({ INTYG_LOG_DIR: dir, INTYG_LOG_FILE_LEVEL: "loud" })).to.throw(/pino level/);
  });

  it("logs errors without their request bodies, URLs with credentials, row details, keys or e-mails", () => {
    const viemError = new HttpRequestError({
      url: "https://user:providerkey123@rpc.example.net/v3/abc",
      body: { method: "eth_sendRawTransaction", params: ["0xf86c0185"] },
      details: "fetch failed",
    });
    const dbError = Object.assign(new Error("duplicate key value violates unique constraint"), {
      code: "23505",
      detail: "Key (email)=(asa@example.se) already exists.",
    });
    const keyError = new Error(`unknown key ${API_KEY} of anna@example.se`, { cause: dbError });
    const out = buffer();
    const logger = createLogger({ level: "info", destination: out.stream, file: null });
    logger.error({ err: viemError }, "chain");
    logger.error({ err: keyError }, "db");
    const text = out.text();
    const [chainLine, dbLine] = text
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(chainLine.err.type).to.equal("HttpRequestError");
    expect(chainLine.err.message).to.equal("HTTP request failed.");
    expect(dbLine.err.cause).to.deep.include({
      code: "23505",
      message: "duplicate key value violates unique constraint",
    });
    expect(dbLine.err.message).to.equal("unknown key intyg_[redacted] of [redacted e-mail]");
    for (const secret of [
      "providerkey123",
      "0xf86c0185",
      "asa@example.se",
      "anna@example.se",
      API_KEY,
      "detail",
    ]) {
      expect(text).not.to.contain(secret);
    }
    expect(errorText(viemError)).to.equal("HttpRequestError: HTTP request failed.");
    expect(errorText(new Error("see https://u:secret@node.example.org/x"))).to.equal(
      "Error: see https://[redacted]@node.example.org/x",
    );
    expect(serializeError("Bearer abc.def")).to.equal("Bearer [redacted]");
  });

  it("an unexpected error of a route is logged without the request's Authorization, body or the error's details", async () => {
    const out = buffer();
    const logger = createLogger({ level: "debug", destination: out.stream, file: null });
    const h = await createHarness("pglite", { logger });
    try {
      const failing = new Error("insert failed for anna@example.se", {
        cause: Object.assign(new Error("duplicate key value"), {
          detail: "Key (email)=(anna@example.se) already exists.",
          code: "23505",
        }),
      });
      const store = {
        ...h.store,
        events: {
          ...h.store.events,
          list: () => Promise.reject(failing),
        },
      };
      const app = createApp({ ...h, store });
      const response = await app.request("/v1/events", {
        headers: { authorization: `Bearer ${h.apiKey}`, "x-attendee": "Hemliga Hedvig" },
      });
      await expectProblem(response, 500, "internal");
      const text = out.text();
      expect(text).to.contain('"msg":"unhandled error"');
      expect(text).to.contain('"code":"23505"');
      for (const secret of [
        h.apiKey,
        "anna@example.se",
        "Hemliga Hedvig",
        "already exists",
        h.deployment.signerKey,
      ]) {
        expect(text).not.to.contain(secret);
      }
    } finally {
      await h.close();
    }
  });
});
