import { randomUUID } from "node:crypto";
import type { Clock } from "../../clock";
import type { Database } from "../db";
import { toOrganisation } from "../rows";
import { json } from "../sql";
import type { Organisation } from "../types";

export type NewOrganisation = { name: string; chainOrganisationId: number; profile: Record<string, unknown> };

export interface OrganisationsRepository {
  create(input: NewOrganisation): Promise<Organisation>;
  get(id: string): Promise<Organisation | null>;
  list(): Promise<Organisation[]>;
  /** The first organisation stored with this registry id. */
  findByChainId(chainOrganisationId: number): Promise<Organisation | null>;
}

export function organisationsRepository(db: Database, clock: Clock): OrganisationsRepository {
  const now = () => clock.now();
  return {
    async create(input) {
      const rows = await db.query(
        `INSERT INTO organisations (id, name, chain_organisation_id, profile, created_at)
         VALUES ($1, $2, $3, $4::jsonb, $5) RETURNING *`,
        [randomUUID(), input.name, input.chainOrganisationId, json(input.profile), now()],
      );
      return toOrganisation(rows[0]!);
    },
    async get(id: string): Promise<Organisation | null> {
      const rows = await db.query("SELECT * FROM organisations WHERE id = $1", [id]);
      return rows[0] ? toOrganisation(rows[0]) : null;
    },
    async list(): Promise<Organisation[]> {
      return (await db.query("SELECT * FROM organisations ORDER BY created_at, id")).map(toOrganisation);
    },
    async findByChainId(chainOrganisationId: number): Promise<Organisation | null> {
      const rows = await db.query(
        "SELECT * FROM organisations WHERE chain_organisation_id = $1 ORDER BY created_at, id LIMIT 1",
        [chainOrganisationId],
      );
      return rows[0] ? toOrganisation(rows[0]) : null;
    },
  };
}
