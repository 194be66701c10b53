// ESCO (European Skills, Competences, Qualifications and Occupations) skill URIs.

const ESCO_SKILL_URI =
  /^http:\/\/data\.europa\.eu\/esco\/skill\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** True for an ESCO skill URI: `http://data.europa.eu/esco/skill/<uuid>` (lowercase, as ESCO publishes it). */
export function isEscoSkillUri(value: string): boolean {
  return ESCO_SKILL_URI.test(value);
}
