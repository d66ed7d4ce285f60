/**
 * Read-only questions about the organisation: who someone is and what their roles let them see.
 * Built from the stored directory; no I/O here.
 */
import type { Committee, Organisation, Person, Role, Unit } from './schema';

export interface UnitInfo extends Unit {
  committeeId: string;
  committeeName: string;
}

export class Directory {
  private readonly people = new Map<string, Person>();
  private readonly units = new Map<string, UnitInfo>();
  private readonly committees = new Map<string, Committee>();

  constructor(readonly organisation: Organisation) {
    for (const c of organisation.committees) {
      this.committees.set(c.id, c);
      for (const u of c.units) this.units.set(u.id, { ...u, committeeId: c.id, committeeName: c.name });
    }
    for (const p of organisation.people) this.people.set(p.entraId.toLowerCase(), p);
  }

  get municipality(): string {
    return this.organisation.municipality;
  }

  person(entraId: string | undefined): Person | undefined {
    return entraId ? this.people.get(entraId.toLowerCase()) : undefined;
  }

  unit(id: string): UnitInfo | undefined {
    return this.units.get(id);
  }

  committee(id: string): Committee | undefined {
    return this.committees.get(id);
  }

  allUnits(): UnitInfo[] {
    return [...this.units.values()];
  }

  rolesOf(entraId: string | undefined): Set<Role> {
    return new Set(this.person(entraId)?.roles.map((r) => r.role) ?? []);
  }

  /** Units where the person works (medarbetare) or that they lead (enhetschef). */
  unitsOf(entraId: string | undefined): UnitInfo[] {
    const ids = new Set(
      (this.person(entraId)?.roles ?? []).flatMap((r) => ('unit' in r ? [r.unit] : [])),
    );
    return [...ids].map((id) => this.units.get(id)).filter((u): u is UnitInfo => !!u);
  }

  /** Units the person is enhetschef for. */
  unitsLedBy(entraId: string | undefined): UnitInfo[] {
    return (this.person(entraId)?.roles ?? [])
      .flatMap((r) => (r.role === 'enhetschef' ? [this.units.get(r.unit)] : []))
      .filter((u): u is UnitInfo => !!u);
  }

  /** Nämnder where the person has the given committee-level role. */
  committeesWhere(entraId: string | undefined, role: 'samordnare' | 'chef'): Committee[] {
    return (this.person(entraId)?.roles ?? [])
      .flatMap((r) => (r.role === role ? [this.committees.get(r.committee)] : []))
      .filter((c): c is Committee => !!c);
  }

  unitChefs(unitId: string): Person[] {
    return this.organisation.people.filter((p) => p.roles.some((r) => r.role === 'enhetschef' && r.unit === unitId));
  }

  committeePeople(committeeId: string, role: 'samordnare' | 'chef'): Person[] {
    return this.organisation.people.filter((p) => p.roles.some((r) => r.role === role && r.committee === committeeId));
  }
}
