// `intyg courses create`: a training course — hours, credits, learning outcomes, skills (ESCO where known) —
// registered on chain like an event, for competence credentials ("kompetensbevis").

import { isEscoSkillUri } from "@intyg/credential";
import type { Command } from "commander";
import type { CommandContext, CommandModule } from "../command";
import { CliError, EXIT } from "../errors";
import { collect, connect, type Lang, langOption, parseNumber, printJson } from "../organiser/common";
import { t } from "../texts";
import { describeEvent } from "./events";

type CourseFlags = {
  name: string;
  hours?: string;
  credits?: string;
  outcome: string[];
  skill: string[];
  assessment?: string;
  description?: string;
  criteria?: string;
  json?: boolean;
  lang: Lang;
};

/** `NAME` or `NAME=http://data.europa.eu/esco/skill/<uuid>`. */
export function parseSkill(lang: Lang, value: string): { name: string; id?: string } {
  const at = value.lastIndexOf("=http");
  if (at < 0) {
    if (!value.trim()) throw new CliError(t(lang, "usage.skill-empty"));
    return { name: value.trim() };
  }
  const name = value.slice(0, at).trim();
  const id = value.slice(at + 1).trim();
  if (!name || !isEscoSkillUri(id)) {
    throw new CliError(t(lang, "usage.skill", { value }));
  }
  return { name, id };
}

export const coursesCommand: CommandModule = {
  name: "courses",
  register(program: Command, context: CommandContext) {
    const { io } = context;
    const courses = program
      .command("courses")
      .description(
        "training courses: hours, credits, learning outcomes and skills (list them with `events list --kind course`)",
      );
    courses
      .command("create")
      .description("create a course and register it on chain")
      .requiredOption("--name <name>", 'the course, e.g. "Informationssäkerhet för förtroendevalda"')
      .option("--hours <hours>", "length in hours (e.g. 16)")
      .option("--credits <credits>", "credits, e.g. higher-education credits (högskolepoäng): 7,5 or 7.5")
      .option("--outcome <text>", "a learning outcome (repeat for each)", collect, [])
      .option(
        "--skill <skill>",
        "a skill taught (repeat): NAME, or NAME=ESCO URI (http://data.europa.eu/esco/skill/…)",
        collect,
        [],
      )
      .option("--assessment <text>", "how it was assessed, e.g. written exam, approved assignment")
      .option("--description <text>", "what the course is about")
      .option("--criteria <text>", "what completing it requires")
      .option("--json", "print the created course as JSON")
      .addOption(langOption(io))
      .addHelpText(
        "after",
        '\nCourse credentials can expire: give `intyg issue … --valid-until 2029-06-30` (or a "giltig till"\n' +
          "column) for certifications that must be renewed.\n" +
          "\nExample:\n" +
          '  intyg courses create --name "Blockkedjor för tillförlitliga data" --hours 24 --credits 3 \\\n' +
          '    --outcome "Förklara hur en kedja gör data spårbara" --skill "informationssäkerhet" \\\n' +
          '    --assessment "Godkänd inlämningsuppgift"\n',
      )
      .action(async (flags: CourseFlags) => {
        const { lang } = flags;
        const details = {
          name: flags.name,
          ...(flags.description ? { description: flags.description } : {}),
          ...(flags.criteria ? { criteria: flags.criteria } : {}),
          ...(flags.hours ? { hours: parseNumber(lang, "--hours", flags.hours) } : {}),
          ...(flags.credits ? { credits: parseNumber(lang, "--credits", flags.credits) } : {}),
          ...(flags.outcome.length ? { learningOutcomes: flags.outcome } : {}),
          ...(flags.skill.length ? { skills: flags.skill.map((skill) => parseSkill(lang, skill)) } : {}),
          ...(flags.assessment ? { assessment: flags.assessment } : {}),
        };
        const client = await connect(io, lang);
        const course = await client.createEvent({ kind: "course", details });
        if (flags.json) printJson(io, course);
        else io.stdout(`${t(lang, "courses.created")}\n${describeEvent(lang, course)}\n`);
        context.setExitCode(EXIT.ok);
      });
  },
};
