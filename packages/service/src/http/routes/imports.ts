import { randomUUID } from "node:crypto";
import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import {
  ATTENDEE_FIELDS,
  type AttendeeList,
  type ColumnMapping,
  type IssuanceTarget,
  readAttendeeTable,
} from "@intyg/credential";
import type { Context } from "hono";
import { IdempotencyMismatchError, NotFoundError, ServiceError } from "../../errors";
import { readSpreadsheet } from "../../imports/spreadsheet";
import { assertIssuable, requestHash } from "../../issuance";
import type { EventRecord, Organisation } from "../../store/types";
import type { BulkJobInput } from "../../worker/worker";
import type { AppDeps, AppEnv } from "../context";
import { ownEvent as ownEventOf } from "../owned";
import { jobResource } from "../present";
import { problemResponses, validationHook } from "../problem";
import { IdempotencyHeaderSchema, IdParamSchema, ImportPreviewSchema, JobSchema } from "../schemas";

const security = [{ bearerAuth: [] }];

const FieldSchema = z.enum(ATTENDEE_FIELDS);
const MappingSchema = z.record(z.string().max(300), FieldSchema.nullable());
const ExcludeSchema = z.array(z.number().int().min(1).max(1_000_000)).max(10_000);

/** The multipart form of both import routes (documented; read by hand so that every fault is a clear 4xx). */
const ImportFormSchema = z
  .object({
    file: z
      .custom<File>((value) => value instanceof File, {
        message: "Attach the spreadsheet as the form field file",
      })
      .openapi({
        type: "string",
        format: "binary",
        description:
          "CSV (as the CLI reads it: ; , or tab, UTF-8 or Windows-1252) or an Excel workbook (.xlsx)",
      }),
    mapping: z.string().optional().openapi({
      description:
        'JSON: { "<column header>": "<field>" | null } — a field for the column, or null to ignore it; columns not named keep the suggested field',
    }),
    exclude: z.string().optional().openapi({ description: "JSON: line numbers of rows to leave out" }),
    send: z
      .enum(["true", "false"])
      .optional()
      .openapi({ description: "E-mail each attendee their credential once anchored" }),
    lang: z
      .enum(["sv", "en"])
      .optional()
      .openapi({ description: "The language of the row errors (default sv)" }),
  })
  .openapi("ImportForm");

type ImportRequest = {
  list: AttendeeList;
  rows: AttendeeList["rows"];
  errors: { line: number; column: string | null; reason: string }[];
  excluded: number[];
  send: boolean;
  format: "csv" | "xlsx";
};

function parseJsonField<T>(value: unknown, name: string, schema: z.ZodType<T>, hint: string): T | undefined {
  if (value === undefined || value === "") return undefined;
  if (typeof value !== "string") throw new ServiceError("import.field-not-text", { name });
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    throw new ServiceError("import.field-not-json", { name, hint });
  }
  const result = schema.safeParse(parsed);
  if (!result.success) throw new ServiceError("import.field-invalid", { name, hint });
  return result.data;
}

/** What an event's rows are checked against. */
function targetOf(event: EventRecord): IssuanceTarget {
  const parts = (event.details as { parts?: { id: string; name: string; kind?: string }[] }).parts ?? [];
  return { kind: event.kind, parts: event.kind === "event" ? parts : [] };
}

/**
 * Spreadsheet import: a preview (columns and their fields, the first attendees, every bad row) that writes
 * nothing, and the import itself, which issues the valid rows as one bulk job only when no row left in has an
 * error. Stateless: the file is sent again for the import; nothing of it is kept between the calls.
 */
export function importRoutes(deps: AppDeps) {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  const { store, config } = deps;

  const ownEvent = (organisation: Organisation, id: string) => ownEventOf(store, organisation, id);

  async function readRequest(c: Context<AppEnv>, event: EventRecord): Promise<ImportRequest> {
    const type = c.req.header("content-type") ?? "";
    if (!/^multipart\/form-data\s*;/i.test(type)) {
      throw new ServiceError("import.not-multipart");
    }
    let form: Record<string, unknown>;
    try {
      form = (await c.req.parseBody()) as Record<string, unknown>;
    } catch {
      throw new ServiceError("import.form-unreadable");
    }
    const file = form.file;
    if (!(file instanceof File)) throw new ServiceError("import.file-missing");
    if (file.size === 0) throw new ServiceError("import.file-empty");
    const lang = form.lang === "en" ? "en" : "sv";
    if (form.lang !== undefined && form.lang !== "sv" && form.lang !== "en") {
      throw new ServiceError("import.lang-invalid");
    }
    if (form.send !== undefined && form.send !== "true" && form.send !== "false") {
      throw new ServiceError("import.send-invalid");
    }
    const mapping = parseJsonField<ColumnMapping>(
      form.mapping,
      "mapping",
      MappingSchema,
      `an object of column headers to a field (${ATTENDEE_FIELDS.join(", ")}) or null`,
    );
    const exclude = new Set(
      parseJsonField(form.exclude, "exclude", ExcludeSchema, "an array of line numbers") ?? [],
    );
    const { format, table } = await readSpreadsheet(new Uint8Array(await file.arrayBuffer()), lang);
    const list = readAttendeeTable(table, targetOf(event), {
      lang,
      now: deps.clock.now().getTime(),
      ...(mapping ? { mapping } : {}),
    });
    // The header row cannot be left out; any data row can.
    const headerLine = table.header?.line ?? 0;
    const left = (line: number) => line === headerLine || !exclude.has(line);
    return {
      list,
      rows: list.rows.filter((row) => left(row.line)),
      errors: list.errors
        .filter((e) => left(e.line))
        .map((e) => ({ line: e.line, column: e.column, reason: e.message })),
      excluded: [...exclude].filter((line) => line !== headerLine).sort((a, b) => a - b),
      send: form.send === "true",
      format,
    };
  }

  const formBody = {
    required: true,
    content: { "multipart/form-data": { schema: ImportFormSchema } },
  } as const;

  app.openapi(
    createRoute({
      method: "post",
      path: "/events/{id}/imports/preview",
      tags: ["Issuance"],
      summary: "Preview a spreadsheet import: columns and fields, the first attendees, every bad row",
      description:
        "Reads the file (CSV or .xlsx) with the mapping and exclusions given and answers what an import would issue. Writes nothing and keeps nothing of the file.",
      security,
      request: { params: IdParamSchema, body: formBody },
      responses: {
        200: { description: "The preview", content: { "application/json": { schema: ImportPreviewSchema } } },
        ...problemResponses(400, 401, 404, 413, 415, 422, 429),
      },
    }),
    async (c) => {
      const event = await ownEvent(c.get("auth").organisation, c.req.valid("param").id);
      const read = await readRequest(c, event);
      return c.json(
        {
          format: read.format,
          columns: read.list.mapping,
          fields: [...ATTENDEE_FIELDS],
          rows: read.list.total,
          valid: read.rows.length,
          excluded: read.excluded,
          preview: read.rows.slice(0, 10).map((row) => ({ line: row.line, ...row.attendee })),
          errors: read.errors,
          notes: read.list.notes,
        },
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/events/{id}/imports",
      tags: ["Issuance"],
      summary: "Import attendees from a spreadsheet and issue their credentials",
      description:
        "Reads the file as the preview does. Refused (422, listing every error) when a row that is not excluded has an error; otherwise the valid rows become one bulk job (202), whose progress GET /v1/jobs/{id} reports. Requires an Idempotency-Key: a retry with the same key and file never issues twice.",
      security,
      request: { params: IdParamSchema, headers: IdempotencyHeaderSchema, body: formBody },
      responses: {
        202: {
          description: "Accepted: the job issuing the credentials",
          content: { "application/json": { schema: z.object({ job: JobSchema }).openapi("ImportAccepted") } },
        },
        ...problemResponses(400, 401, 404, 409, 413, 415, 422, 429),
      },
    }),
    async (c) => {
      const organisation = c.get("auth").organisation;
      const key = c.req.header("idempotency-key");
      if (!key || key.length > 255 || !/^[\x21-\x7e]+$/.test(key)) {
        throw new ServiceError("request.idempotency-key-required");
      }
      const event = await ownEvent(organisation, c.req.valid("param").id);
      assertIssuable(event);
      const read = await readRequest(c, event);
      if (read.errors.length > 0) {
        throw new ServiceError(
          "import.rows-invalid",
          { count: read.errors.length },
          {
            extensions: {
              errors: read.errors.map((e) => ({ ...e, path: `line ${e.line}`, message: e.reason })),
            },
          },
        );
      }
      if (read.rows.length === 0) throw new ServiceError("import.no-rows-left");
      if (read.rows.length > config.bulkMaxItems) {
        throw new ServiceError("import.too-many", { max: config.bulkMaxItems });
      }
      const attendees = read.rows.map((row) => row.attendee);
      const hash = requestHash({ route: "import", eventId: event.id, attendees, send: read.send });
      const jobId = randomUUID();
      const input: BulkJobInput = { eventId: event.id, attendees, ...(read.send ? { send: true } : {}) };
      const outcome = await store.issuance.commit({
        organisationId: organisation.id,
        idempotencyKey: key,
        requestHash: hash,
        response: { status: 202, body: { id: jobId } },
        credentials: [],
        job: { id: jobId, kind: "bulk-issue", input },
      });
      if (outcome.kind === "mismatch") throw new IdempotencyMismatchError();
      if (outcome.kind === "replayed") c.header("Idempotent-Replayed", "true");
      else {
        deps.logger.info({ event: event.id, job: jobId, count: attendees.length }, "import accepted");
        deps.worker?.wake();
      }
      const job = await store.jobs.get(organisation.id, (outcome.body as { id: string }).id);
      if (!job) throw new NotFoundError("job");
      c.header("Location", `${config.publicUrl}/v1/jobs/${job.id}`);
      return c.json({ job: jobResource(config, job) }, 202);
    },
  );

  return app;
}
