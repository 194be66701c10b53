// The reference page at /docs: a self-contained HTML page (no scripts, no CDN) listing every operation of the
// OpenAPI document with its parameters, request body and responses.

type OpenApiDoc = {
  info?: { title?: string; version?: string; description?: string };
  paths?: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, unknown> };
};

type Operation = {
  summary?: string;
  description?: string;
  tags?: string[];
  security?: unknown[];
  parameters?: {
    name: string;
    in: string;
    required?: boolean;
    description?: string;
    schema?: { type?: string };
  }[];
  requestBody?: { content?: Record<string, { schema?: { $ref?: string } }> };
  responses?: Record<string, { description?: string; content?: Record<string, unknown> }>;
};

const METHODS = ["get", "post", "put", "patch", "delete"];

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function refName(schema: { $ref?: string } | undefined): string | null {
  return schema?.$ref ? schema.$ref.split("/").pop()! : null;
}

export function docsHtml(doc: OpenApiDoc): string {
  const byTag = new Map<string, { method: string; path: string; op: Operation }[]>();
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      const tag = op.tags?.[0] ?? "Other";
      if (!byTag.has(tag)) byTag.set(tag, []);
      byTag.get(tag)!.push({ method, path, op });
    }
  }
  const sections = [...byTag.entries()]
    .map(([tag, ops]) => {
      const items = ops
        .map(({ method, path, op }) => {
          const id = `${method}-${path}`.replace(/[^a-zA-Z0-9]+/g, "-");
          const params = (op.parameters ?? [])
            .map(
              (p) =>
                `<li><code>${escapeHtml(p.name)}</code> <span class="in">${escapeHtml(p.in)}${p.required ? ", required" : ""}</span>${
                  p.description ? ` — ${escapeHtml(p.description)}` : ""
                }</li>`,
            )
            .join("");
          const body = op.requestBody?.content
            ? Object.entries(op.requestBody.content)
                .map(
                  ([type, media]) =>
                    `<code>${escapeHtml(type)}</code> ${escapeHtml(refName(media.schema) ?? "")}`,
                )
                .join(", ")
            : "";
          const responses = Object.entries(op.responses ?? {})
            .map(
              ([status, r]) =>
                `<li><code>${escapeHtml(status)}</code> ${escapeHtml(r.description ?? "")}${
                  r.content
                    ? ` <span class="in">(${escapeHtml(Object.keys(r.content).join(", "))})</span>`
                    : ""
                }</li>`,
            )
            .join("");
          return `<section class="op" id="${id}">
<h3><span class="method ${method}">${method.toUpperCase()}</span> <code>${escapeHtml(path)}</code>${
            op.security?.length ? ' <span class="lock" title="Bearer API key">🔒</span>' : ""
          }</h3>
<p>${escapeHtml(op.summary ?? "")}</p>${op.description ? `<p class="desc">${escapeHtml(op.description)}</p>` : ""}
${params ? `<h4>Parameters</h4><ul>${params}</ul>` : ""}${body ? `<h4>Request body</h4><p>${body}</p>` : ""}
<h4>Responses</h4><ul>${responses}</ul></section>`;
        })
        .join("\n");
      return `<h2>${escapeHtml(tag)}</h2>\n${items}`;
    })
    .join("\n");
  const schemas = Object.keys(doc.components?.schemas ?? {})
    .sort()
    .map((name) => `<code>${escapeHtml(name)}</code>`)
    .join(" ");
  const title = escapeHtml(doc.info?.title ?? "API");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} — reference</title>
<style>
body{font:15px/1.5 system-ui,sans-serif;max-width:960px;margin:2rem auto;padding:0 1rem;color:#1f2937}
h2{border-bottom:2px solid #0b5394;padding-bottom:.2rem;margin-top:2.5rem}
.op{border:1px solid #e5e7eb;border-radius:8px;padding:.5rem 1rem;margin:1rem 0}
.method{display:inline-block;min-width:4.5rem;text-align:center;border-radius:4px;color:#fff;font-size:.8rem;padding:.1rem .4rem}
.get{background:#2563eb}.post{background:#059669}.patch{background:#d97706}.put{background:#7c3aed}.delete{background:#dc2626}
.in{color:#6b7280;font-size:.85rem}.desc{color:#374151}code{font-family:ui-monospace,monospace}
</style></head><body>
<h1>${title} <small>${escapeHtml(doc.info?.version ?? "")}</small></h1>
<p>${escapeHtml(doc.info?.description ?? "")}</p>
<p>Machine-readable: <a href="/openapi.json">/openapi.json</a> (OpenAPI 3.1). Errors are RFC 9457 <code>application/problem+json</code>. Organiser operations (🔒) need <code>Authorization: Bearer &lt;api key&gt;</code>.</p>
${sections}
<h2>Schemas</h2><p>${schemas}</p>
</body></html>`;
}
