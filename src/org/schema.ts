/**
 * The organisation directory: nämnder (committees), enheter (units) and people with roles.
 * Loaded from a YAML or JSON file (see env/organisation.demo.yaml) and validated here.
 */
import { z } from 'zod';
import { reviewScheduleOverrideSchema } from '../review/schedule';

/** Verksamhetsområden as municipalities name them; the key is stored, the label is shown. */
export const AREAS = {
  'barn-och-unga': 'Barn och unga',
  vuxen: 'Vuxen (missbruk och beroende)',
  'ekonomiskt-bistand': 'Ekonomiskt bistånd',
  aldreomsorg: 'Äldreomsorg',
  lss: 'LSS',
  socialpsykiatri: 'Socialpsykiatri',
  'hemsjukvard': 'Hemsjukvård',
  annat: 'Annat',
} as const;
export type Area = keyof typeof AREAS;
const areaKeys = Object.keys(AREAS) as [Area, ...Area[]];

export const ROLES = {
  medarbetare: 'Medarbetare',
  enhetschef: 'Enhetschef',
  samordnare: 'Lex Sarah-samordnare',
  chef: 'Chef',
  admin: 'Administratör',
} as const;
export type Role = keyof typeof ROLES;

const id = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'must be lower-case letters, digits and dashes (max 63), e.g. "bou-mottagning"');

// Entra object ids are GUIDs; the Playground's mock ids have a 13-digit last group, so accept 12–13.
const entraId = z
  .string()
  .regex(/^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12,13}$/, 'must be an Entra object id (GUID)')
  .transform((s) => s.toLowerCase());

export const unitSchema = z
  .object({
    id,
    name: z.string().trim().min(1).max(200),
    area: z.enum(areaKeys, {
      errorMap: () => ({ message: `must be one of: ${areaKeys.join(', ')}` }),
    }),
    /** When the unit's weekly review is due, if not the default Monday 09:00. */
    review: reviewScheduleOverrideSchema.optional(),
  })
  .strict();

export const committeeSchema = z
  .object({
    id,
    name: z.string().trim().min(1).max(200),
    units: z.array(unitSchema).default([]),
  })
  .strict();

const roleAssignment = z.discriminatedUnion('role', [
  z.object({ role: z.literal('medarbetare'), unit: id }).strict(),
  z.object({ role: z.literal('enhetschef'), unit: id }).strict(),
  z.object({ role: z.literal('samordnare'), committee: id }).strict(),
  z.object({ role: z.literal('chef'), committee: id }).strict(),
  z.object({ role: z.literal('admin') }).strict(),
]);
export type RoleAssignment = z.infer<typeof roleAssignment>;

export const personSchema = z
  .object({
    entraId,
    name: z.string().trim().min(1).max(200),
    email: z.string().email().optional(),
    roles: z.array(roleAssignment).min(1, 'a person needs at least one role'),
  })
  .strict();

export const organisationSchema = z
  .object({
    municipality: z.string().trim().min(1).max(200),
    committees: z.array(committeeSchema).min(1, 'at least one nämnd is needed'),
    people: z.array(personSchema).default([]),
  })
  .strict()
  .superRefine((org, ctx) => {
    const committeeIds = new Set<string>();
    const unitIds = new Set<string>();
    org.committees.forEach((c, ci) => {
      if (committeeIds.has(c.id)) ctx.addIssue({ code: 'custom', path: ['committees', ci, 'id'], message: `duplicate nämnd id "${c.id}"` });
      committeeIds.add(c.id);
      c.units.forEach((u, ui) => {
        if (unitIds.has(u.id)) ctx.addIssue({ code: 'custom', path: ['committees', ci, 'units', ui, 'id'], message: `duplicate unit id "${u.id}"` });
        unitIds.add(u.id);
      });
    });
    const people = new Set<string>();
    org.people.forEach((p, pi) => {
      if (people.has(p.entraId)) ctx.addIssue({ code: 'custom', path: ['people', pi, 'entraId'], message: `duplicate person "${p.entraId}"` });
      people.add(p.entraId);
      p.roles.forEach((r, ri) => {
        if ('unit' in r && !unitIds.has(r.unit)) {
          ctx.addIssue({ code: 'custom', path: ['people', pi, 'roles', ri, 'unit'], message: `unknown unit "${r.unit}"` });
        }
        if ('committee' in r && !committeeIds.has(r.committee)) {
          ctx.addIssue({ code: 'custom', path: ['people', pi, 'roles', ri, 'committee'], message: `unknown nämnd "${r.committee}"` });
        }
      });
    });
  });

export type Organisation = z.infer<typeof organisationSchema>;
export type Committee = z.infer<typeof committeeSchema>;
export type Unit = z.infer<typeof unitSchema>;
export type Person = z.infer<typeof personSchema>;
