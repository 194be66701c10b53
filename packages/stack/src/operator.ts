// The local stack's operator endpoint: bootstrap of further organisations into the running stack's database.
// In production the operator runs the service's `bootstrap` script against the shared PostgreSQL; the local
// stack keeps its data in an embedded database (PGlite) that only its own process may open, so the same
// bootstrap (with the same registry check) is offered here on loopback, behind a random token written to
// the owner-only `.intyg/dev.json`. Development only.

import { randomBytes, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { bootstrap, type RegistrySource, ServiceError, type Store, ValidationError } from "@intyg/service";

export type OperatorEndpoint = {
  url: string;
  token: string;
  close(): Promise<void>;
};

const MAX_BODY = 64 * 1024;

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY) throw new Error("too large");
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString("utf8");
}

function authorised(header: string | undefined, token: string): boolean {
  const given = Buffer.from(header?.replace(/^Bearer /, "") ?? "");
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/**
 * Listens on 127.0.0.1 for `POST /bootstrap` (Bearer token; the body is the service's BootstrapInput without a
 * chosen API key) and answers what the bootstrap script prints, or `{ code, error }` with 400/409.
 */
export async function startOperatorEndpoint(
  store: Store,
  registry: RegistrySource,
): Promise<OperatorEndpoint> {
  const token = randomBytes(32).toString("base64url");
  const server: Server = createServer((request, response) => {
    const answer = (status: number, body: unknown) => {
      response.writeHead(status, { "content-type": "application/json", "cache-control": "no-store" });
      response.end(`${JSON.stringify(body, null, 2)}\n`);
    };
    if (request.method !== "POST" || request.url !== "/bootstrap")
      return answer(404, { code: "not-found", error: "POST /bootstrap only" });
    if (!authorised(request.headers.authorization, token))
      return answer(401, { code: "unauthorized", error: "the operatorToken of .intyg/dev.json is required" });
    readBody(request)
      .then(async (text) => {
        let input: Record<string, unknown>;
        try {
          input = JSON.parse(text);
        } catch {
          return answer(400, { code: "bootstrap.invalid", error: "the body is not JSON" });
        }
        // A chosen key is for the stack's own first organisation (INTYG_API_KEY), not for these.
        const { apiKey: _ignored, ...rest } = input ?? {};
        const result = await bootstrap(store, rest as never, registry);
        answer(201, {
          organisationId: result.organisation.id,
          chainOrganisationId: result.organisation.chainOrganisationId,
          created: result.created,
          apiKeyId: result.apiKey.id,
          apiKey: result.secret,
        });
      })
      .catch((error: unknown) => {
        if (error instanceof ValidationError)
          return answer(400, { code: error.code, error: error.message, errors: error.errors });
        if (error instanceof ServiceError && error.code.startsWith("bootstrap."))
          return answer(409, { code: error.code, error: error.message });
        answer(500, { code: "internal", error: error instanceof Error ? error.message : String(error) });
      });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    token,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
