// The people of each member authority: invited by its admin (or the hub-admin), given a role,
// deactivated. Every change is audited; a deactivation ends the person's sessions at once.
import { and, desc, eq, isNull, sql } from 'drizzle-orm';
import { roleRank, type Person, type PersonInvite, type PersonInvited, type Role } from '@ccx/schema';
import { hashSecret, newOpaqueSecret, newPersonId } from '../../auth/secrets.js';
import { appendAudit } from '../../audit/index.js';
import { actedBy, auditActor, type Actor } from '../actor.js';
import type { Db } from '../../db/index.js';
import { nameAll, nameOne } from '../../db/names.js';
import { authorities, personLinks, people } from '../../db/schema/index.js';
import { AppError, notFound, pgErrorCode } from '../../shared/errors.js';
import { iso, isoOrNull } from '../pagination.js';
import { endPersonSessions } from './sessions.js';

type PersonRow = typeof people.$inferSelect;

export const toPerson = (r: PersonRow): Person => ({
  id: r.id,
  authorityId: r.authorityId,
  email: r.email,
  name: r.name,
  role: r.role as Role,
  status: r.status as Person['status'],
  localAccount: r.passwordHash !== null && r.totpConfirmedAt !== null,
  singleSignOn: r.oidcSubject !== null,
  recoveryCodesLeft: r.recoveryCodes.length,
  createdAt: iso(r.createdAt),
  activatedAt: isoOrNull(r.activatedAt),
  deactivatedAt: isoOrNull(r.deactivatedAt),
  lastSignInAt: isoOrNull(r.lastSignInAt),
});

export const INVITATION_HOURS = 72;
export const SETUP_LINK_HOURS = 24;

export type LinkPurpose = 'invitation' | 'setup';

/** The address a link opens: the token rides in the fragment, which browsers never send to a server or a log. */
export const linkUrl = (issuer: string, purpose: LinkPurpose, token: string): string =>
  `${issuer}/welcome#${purpose}=${token}`;

/** Issues a new single-use link for a person (any earlier unused one stops working). */
export const issueLink = async (
  db: Db,
  input: { personId: string; purpose: LinkPurpose; now: Date; createdBy: string | null },
): Promise<{ token: string; expiresAt: Date }> => {
  await db
    .update(personLinks)
    .set({ usedAt: input.now })
    .where(and(eq(personLinks.personId, input.personId), isNull(personLinks.usedAt)));
  const token = newOpaqueSecret();
  const hours = input.purpose === 'setup' ? SETUP_LINK_HOURS : INVITATION_HOURS;
  const expiresAt = new Date(input.now.getTime() + hours * 3_600_000);
  await db.insert(personLinks).values({
    tokenHash: hashSecret(token),
    personId: input.personId,
    purpose: input.purpose,
    expiresAt,
    createdBy: input.createdBy,
    createdAt: input.now,
  });
  return { token, expiresAt };
};

const isHubAdmin = (a: { role: Role }): boolean => a.role === 'hub-admin';

/** The authority an admin acts for: its own, or any for the hub-admin. */
const targetAuthority = (actor: Actor, authorityId: string | undefined): string => {
  const target = authorityId ?? actor.authorityId;
  if (target !== actor.authorityId && !isHubAdmin(actor))
    throw new AppError('FORBIDDEN', "an authority admin manages only its own authority's people");
  return target;
};

/** A role the actor may give, at an authority that may hold it. */
const checkRoleGrant = async (db: Db, actor: Actor, authorityId: string, role: Role): Promise<void> => {
  if (roleRank(role) > roleRank(actor.role))
    throw new AppError('FORBIDDEN', `you cannot give a higher role (${role}) than your own (${actor.role})`);
  const [authority] = await db
    .select({ isHost: authorities.isHost, status: authorities.status })
    .from(authorities)
    .where(eq(authorities.id, authorityId));
  if (!authority) throw notFound(`authority ${authorityId}`);
  if (role === 'hub-admin' && !authority.isHost)
    throw new AppError('FORBIDDEN', 'the hub-admin role exists only on the host authority');
  if (authority.status !== 'active')
    throw new AppError(
      'FORBIDDEN',
      `authority ${authorityId} is ${authority.status}; people can be added only to active members`,
    );
};

export type MailSender = (mail: { to: string; subject: string; text: string }) => Promise<void>;

/** Inserts an invited person and their link; no audit (callers audit). */
export const insertInvitedPerson = async (
  db: Db,
  input: {
    authorityId: string;
    email: string;
    name: string;
    role: Role;
    createdBy: string | null;
    now: Date;
  },
  purpose: LinkPurpose = 'invitation',
): Promise<{ row: PersonRow; token: string; expiresAt: Date }> => {
  let row: PersonRow | undefined;
  try {
    [row] = await db
      .insert(people)
      .values({
        id: newPersonId(),
        authorityId: input.authorityId,
        email: input.email,
        name: input.name,
        role: input.role,
        status: 'invited',
        createdBy: input.createdBy,
        createdAt: input.now,
      })
      .returning();
  } catch (err) {
    if (pgErrorCode(err) === '23505')
      throw new AppError('CONFLICT', `a person with the address ${input.email} is already on the hub`);
    throw err;
  }
  const link = await issueLink(db, {
    personId: row!.id,
    purpose,
    now: input.now,
    createdBy: input.createdBy,
  });
  return { row: row!, ...link };
};

/** E-mails an invitation's link, when the hub sends mail; says whether it did. */
const sendInvitation = async (
  send: MailSender | null,
  person: Person,
  url: string,
  expiresAt: Date,
): Promise<boolean> => {
  if (!send) return false;
  await send({
    to: person.email,
    subject: "Your invitation to the Children's Commissioning Exchange",
    text: [
      `Dear ${person.name},`,
      '',
      `You have been invited to the Children's Commissioning Exchange as a member of ${person.authority?.name ?? person.authorityId}.`,
      '',
      'Open this link to choose your password and set up your second factor:',
      url,
      '',
      `The link works once and until ${expiresAt.toISOString().replace('T', ' ').slice(0, 16)} UTC.`,
      'If you did not expect this e-mail, ignore it: nothing happens unless the link is opened.',
    ].join('\n'),
  });
  return true;
};

export const invitePerson = async (
  db: Db,
  actor: Actor,
  input: PersonInvite,
  opts: { issuer: string; send: MailSender | null },
): Promise<PersonInvited> => {
  const authorityId = targetAuthority(actor, input.authorityId);
  await checkRoleGrant(db, actor, authorityId, input.role);
  const { row, token, expiresAt } = await insertInvitedPerson(db, {
    authorityId,
    email: input.email,
    name: input.name,
    role: input.role,
    createdBy: actedBy(actor),
    now: actor.now,
  });
  const invitationUrl = linkUrl(opts.issuer, 'invitation', token);
  await appendAudit(db, {
    ...auditActor(actor),
    action: 'person.invite',
    recordType: 'person',
    recordIds: [row.id],
    basis: actor.role,
    details: { authorityId, email: input.email, role: input.role },
  });
  const person = await nameOne(db, toPerson(row));
  const emailed = await sendInvitation(opts.send, person, invitationUrl, expiresAt);
  return { person, invitationUrl, expiresAt: iso(expiresAt), emailed };
};

/** A person the actor may manage: another authority's is answered as missing, not forbidden. */
const managedPerson = async (db: Db, actor: Actor, id: string): Promise<PersonRow> => {
  const [row] = await db.select().from(people).where(eq(people.id, id)).for('update');
  if (!row || (row.authorityId !== actor.authorityId && !isHubAdmin(actor))) throw notFound(`person ${id}`);
  if (row.id === actor.personId)
    throw new AppError(
      'FORBIDDEN',
      'you cannot change your own role or deactivate yourself; ask another admin',
    );
  if (roleRank(row.role as Role) > roleRank(actor.role))
    throw new AppError(
      'FORBIDDEN',
      `you cannot manage a person with a higher role (${row.role}) than your own`,
    );
  return row;
};

export const reinvitePerson = async (
  db: Db,
  actor: Actor,
  id: string,
  opts: { issuer: string; send: MailSender | null },
): Promise<PersonInvited> => {
  const row = await managedPerson(db, actor, id);
  if (row.status !== 'invited')
    throw new AppError(
      'CONFLICT',
      `person ${id} is ${row.status}; only an invited person can be sent a new link`,
    );
  const { token, expiresAt } = await issueLink(db, {
    personId: id,
    purpose: 'invitation',
    now: actor.now,
    createdBy: actedBy(actor),
  });
  await appendAudit(db, {
    ...auditActor(actor),
    action: 'person.reinvite',
    recordType: 'person',
    recordIds: [id],
    basis: actor.role,
    details: { authorityId: row.authorityId },
  });
  const invitationUrl = linkUrl(opts.issuer, 'invitation', token);
  const person = await nameOne(db, toPerson(row));
  const emailed = await sendInvitation(opts.send, person, invitationUrl, expiresAt);
  return { person, invitationUrl, expiresAt: iso(expiresAt), emailed };
};

export const setPersonRole = async (db: Db, actor: Actor, id: string, role: Role): Promise<Person> => {
  const row = await managedPerson(db, actor, id);
  if (row.status === 'deactivated') throw new AppError('CONFLICT', `person ${id} is deactivated`);
  await checkRoleGrant(db, actor, row.authorityId, role);
  if (row.role === role) return nameOne(db, toPerson(row));
  const [updated] = await db.update(people).set({ role }).where(eq(people.id, id)).returning();
  await appendAudit(db, {
    ...auditActor(actor),
    action: 'person.set-role',
    recordType: 'person',
    recordIds: [id],
    basis: actor.role,
    details: { authorityId: row.authorityId, from: row.role, to: role },
  });
  return nameOne(db, toPerson(updated!));
};

export const deactivatePerson = async (db: Db, actor: Actor, id: string): Promise<Person> => {
  const row = await managedPerson(db, actor, id);
  if (row.status === 'deactivated') return nameOne(db, toPerson(row));
  const [updated] = await db
    .update(people)
    .set({ status: 'deactivated', deactivatedAt: actor.now })
    .where(eq(people.id, id))
    .returning();
  const sessionsEnded = await endPersonSessions(db, id, 'deactivated', actor.now);
  await db
    .update(personLinks)
    .set({ usedAt: actor.now })
    .where(and(eq(personLinks.personId, id), isNull(personLinks.usedAt)));
  await appendAudit(db, {
    ...auditActor(actor),
    action: 'person.deactivate',
    recordType: 'person',
    recordIds: [id],
    basis: actor.role,
    details: { authorityId: row.authorityId, sessionsEnded },
  });
  return nameOne(db, toPerson(updated!));
};

export const listPeople = async (
  db: Db,
  actor: Actor,
  input: { authorityId?: string | undefined; status?: Person['status'] | undefined },
): Promise<Person[]> => {
  const authorityId = isHubAdmin(actor) ? input.authorityId : targetAuthority(actor, input.authorityId);
  const rows = await db
    .select()
    .from(people)
    .where(
      and(
        authorityId ? eq(people.authorityId, authorityId) : undefined,
        input.status ? eq(people.status, input.status) : undefined,
      ),
    )
    .orderBy(desc(people.createdAt), people.id)
    .limit(1000);
  return nameAll(db, rows.map(toPerson));
};

/** The calling person's own record. */
export const getPerson = async (db: Db, id: string): Promise<Person> => {
  const [row] = await db.select().from(people).where(eq(people.id, id));
  if (!row) throw notFound(`person ${id}`);
  return nameOne(db, toPerson(row));
};

export const countPeople = async (db: Db): Promise<number> => {
  const [r] = await db.select({ n: sql<number>`count(*)::int` }).from(people);
  return Number(r?.n ?? 0);
};

/**
 * A one-time link that sets up a hub-admin person of the host authority (address, password and
 * second factor chosen when it is opened), valid 24 hours: written at first start beside the
 * bootstrap client, and by `npm run admin -- setup-link` when that one was lost or expired.
 */
export const issueSetupLink = async (
  db: Db,
  input: { hostAuthorityId: string; now: Date; name?: string },
): Promise<{ token: string; expiresAt: Date }> => {
  // A hub-admin still waiting to be set up from an earlier link gets a new link (the old one stops working).
  const [waiting] = await db
    .select({ id: people.id })
    .from(people)
    .where(
      and(
        eq(people.authorityId, input.hostAuthorityId),
        eq(people.status, 'invited'),
        eq(people.role, 'hub-admin'),
        sql`${people.email} like '%@setup.invalid'`,
      ),
    )
    .limit(1);
  if (waiting)
    return issueLink(db, { personId: waiting.id, purpose: 'setup', now: input.now, createdBy: null });
  // A placeholder address (the .invalid domain never delivers), replaced by the one given at set-up.
  const placeholder = `setup-${newPersonId().slice(5)}@setup.invalid`;
  const { token, expiresAt } = await insertInvitedPerson(
    db,
    {
      authorityId: input.hostAuthorityId,
      email: placeholder,
      name: input.name ?? 'First hub-admin',
      role: 'hub-admin',
      createdBy: null,
      now: input.now,
    },
    'setup',
  );
  return { token, expiresAt };
};
