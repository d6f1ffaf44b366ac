// People: everyone at the authority who signs in, an invitation for someone new (the one-time link
// shown to copy, and e-mailed when the hub can send mail), and each person's page to change their
// role, send a new invitation, or deactivate them.
import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Form, useHubForm } from '../../components/form.js';
import {
  BackLink,
  Button,
  ButtonLink,
  InsetText,
  Loading,
  NotificationBanner,
  ProblemText,
  Radios,
  SummaryList,
  Table,
  Tag,
  TextInput,
  type TagColour,
} from '../../components/govuk.js';
import { formatDateTime } from '../../format.js';
import { Link } from '../../navigation.js';
import { useSession, type Role } from '../../session.js';
import { hubErrorOf, useTRPC, type Outputs } from '../../trpc.js';
import type { PageProps } from '../../route-kit.js';
import { AdminBack, Confirm, CopyableText, failLabelled, ROLE_OPTIONS, roleName } from './parts.js';

type Person = Outputs['people']['list'][number];
type Invited = Outputs['people']['invite'];

const STATUS: Record<Person['status'], { text: string; colour: TagColour }> = {
  invited: { text: 'Invited', colour: 'blue' },
  active: { text: 'Active', colour: 'green' },
  deactivated: { text: 'Deactivated', colour: 'grey' },
};

export const PersonStatus = ({ status }: { status: Person['status'] }) => (
  <Tag colour={STATUS[status].colour}>{STATUS[status].text}</Tag>
);

const signsInWith = (p: Person): string =>
  [
    p.localAccount ? 'password and authenticator app' : null,
    p.singleSignOn ? 'council identity provider' : null,
  ]
    .filter(Boolean)
    .join(', ') || 'not yet';

export const PeoplePage = (_: PageProps) => {
  const trpc = useTRPC();
  const { me } = useSession();
  const people = useQuery(trpc.people.list.queryOptions({}));
  return (
    <>
      <AdminBack />
      <h1 className="govuk-heading-l">
        <span className="govuk-caption-l">{me.authority.name}</span>
        People
      </h1>
      <p className="govuk-body">
        Everyone at your authority who signs in to the exchange. Each person’s role decides what they may do.
      </p>
      <ButtonLink to="/admin/people/invite">Invite a person</ButtonLink>
      {people.isPending ? (
        <Loading what="people" />
      ) : people.error ? (
        <ProblemText
          message={hubErrorOf(people.error).message}
          requestId={hubErrorOf(people.error).requestId}
        />
      ) : (
        <Table
          caption={`${people.data.length} ${people.data.length === 1 ? 'person' : 'people'}`}
          head={['Name', 'Email address', 'Role', 'Status', 'Last signed in']}
          rows={people.data.map((p) => ({
            key: p.id,
            cells: [
              <Link to={`/admin/people/${p.id}`} key="name">
                {p.name}
              </Link>,
              p.email,
              roleName(p.role),
              <PersonStatus status={p.status} key="status" />,
              p.lastSignInAt ? formatDateTime(p.lastSignInAt) : 'Never',
            ],
          }))}
        />
      )}
    </>
  );
};

/** The invitation as the hub answered it: the link to pass on, and whether the hub e-mailed it. */
const InvitationLink = ({ invited, again }: { invited: Invited; again?: boolean }) => (
  <>
    <NotificationBanner success title={again ? 'New invitation made' : 'Invitation made'}>
      <p className="govuk-notification-banner__heading">
        {again ? 'A new invitation for' : 'An invitation for'} {invited.person.name} (
        {roleName(invited.person.role)}) is ready.
      </p>
      <p className="govuk-body">
        {invited.emailed
          ? `We have e-mailed the link to ${invited.person.email}.`
          : `The hub does not send e-mail here, so send the link to ${invited.person.email} yourself.`}
      </p>
    </NotificationBanner>
    <CopyableText
      id="invitation-url"
      label="Invitation link"
      value={invited.invitationUrl}
      hint={`It works once, until ${formatDateTime(invited.expiresAt)}. This page is the only place it is shown: anyone with it can set up the account.`}
    />
  </>
);

const INVITE_LABELS = { name: 'Full name', email: 'Email address', role: 'Role' };

export const InvitePersonPage = (_: PageProps) => {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const form = useHubForm<{ name: string; email: string; role: string }>('admin-invite', {
    name: '',
    email: '',
    role: '',
  });
  const [invited, setInvited] = useState<Invited | null>(null);
  const invite = useMutation(
    trpc.people.invite.mutationOptions({
      onSuccess: (answer) => {
        form.reset({ name: '', email: '', role: '' });
        setInvited(answer);
        void queryClient.invalidateQueries(trpc.people.list.queryFilter());
      },
      onError: failLabelled(form, INVITE_LABELS),
    }),
  );
  const submit = () => {
    const missing = [
      !form.values.name.trim() ? { path: 'name', message: 'Enter the person’s full name' } : null,
      !form.values.email.trim() ? { path: 'email', message: 'Enter the person’s email address' } : null,
      !form.values.role ? { path: 'role', message: 'Choose what the person may do' } : null,
    ].filter((x) => x !== null);
    if (missing.length > 0) return form.failWith(missing);
    form.clearProblem();
    invite.mutate({ name: form.values.name, email: form.values.email, role: form.values.role as Role });
  };

  if (invited)
    return (
      <>
        <BackLink to="/admin/people">Back to people</BackLink>
        <h1 className="govuk-heading-l">Invitation for {invited.person.name}</h1>
        <InvitationLink invited={invited} />
        <div className="govuk-button-group">
          <Button type="button" onClick={() => setInvited(null)}>
            Invite another person
          </Button>
          <Link to="/admin/people">Back to people</Link>
        </div>
      </>
    );
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <BackLink to="/admin/people">Back to people</BackLink>
        <Form
          onSubmit={submit}
          problem={form.problem}
          fields={['name', 'email', 'role']}
          label="Invite a person"
        >
          <h1 className="govuk-heading-l">Invite a person</h1>
          <p className="govuk-body">
            They get a link to set a password and an authenticator app. If your council signs its people in
            with its own identity provider, they can use that instead.
          </p>
          <TextInput
            id="name"
            label="Full name"
            value={form.values.name}
            onChange={(v) => form.set('name', v)}
            error={form.errorFor('name')}
            autoComplete="off"
            spellCheck={false}
          />
          <TextInput
            id="email"
            label="Email address"
            hint="Their work address."
            type="email"
            value={form.values.email}
            onChange={(v) => form.set('email', v)}
            error={form.errorFor('email')}
            autoComplete="off"
            spellCheck={false}
          />
          <Radios
            id="role"
            legend="What may they do?"
            options={ROLE_OPTIONS}
            value={form.values.role}
            onChange={(v) => form.set('role', v)}
            error={form.errorFor('role')}
          />
          <Button disabled={invite.isPending}>Send invitation</Button>
        </Form>
      </div>
    </div>
  );
};

export const PersonPage = ({ params }: PageProps) => {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { person: self } = useSession();
  const people = useQuery(trpc.people.list.queryOptions({}));
  const person = people.data?.find((p) => p.id === params['id']);
  const [banner, setBanner] = useState<string | null>(null);
  const [invited, setInvited] = useState<Invited | null>(null);
  const [confirming, setConfirming] = useState(false);
  const form = useHubForm<{ role: string }>(null, { role: '' });
  const refresh = () => queryClient.invalidateQueries(trpc.people.list.queryFilter());

  const setRole = useMutation(
    trpc.people.setRole.mutationOptions({
      onSuccess: (p) => {
        form.clearProblem();
        setInvited(null);
        const role = roleName(p.role).toLowerCase();
        setBanner(`${p.name} is now ${/^[aeiou]/.test(role) ? 'an' : 'a'} ${role}.`);
        void refresh();
      },
      onError: failLabelled(form, { role: 'Role' }),
    }),
  );
  const reinvite = useMutation(
    trpc.people.reinvite.mutationOptions({
      onSuccess: (answer) => {
        form.clearProblem();
        setBanner(null);
        setInvited(answer);
        void refresh();
      },
      onError: form.fail,
    }),
  );
  const deactivate = useMutation(
    trpc.people.deactivate.mutationOptions({
      onSuccess: (p) => {
        form.clearProblem();
        setConfirming(false);
        setInvited(null);
        setBanner(
          `${p.name} has been deactivated. They cannot sign in, and every session they had has ended.`,
        );
        void refresh();
      },
      onError: (error) => {
        setConfirming(false);
        form.fail(error);
      },
    }),
  );

  if (people.isPending) return <Loading what="the person" />;
  if (people.error)
    return (
      <>
        <h1 className="govuk-heading-l">Person</h1>
        <ProblemText
          message={hubErrorOf(people.error).message}
          requestId={hubErrorOf(people.error).requestId}
        />
      </>
    );
  if (!person)
    return (
      <>
        <BackLink to="/admin/people">Back to people</BackLink>
        <h1 className="govuk-heading-l">Person not found</h1>
        <p className="govuk-body">
          There is no one with that id at your authority. <Link to="/admin/people">See everyone</Link>.
        </p>
      </>
    );
  if (confirming)
    return (
      <Confirm
        heading={`Deactivate ${person.name}?`}
        warning="They will not be able to sign in, and every session they have now ends at once. Their past actions stay in the audit trail."
        confirmText={`Yes, deactivate ${person.name}`}
        onConfirm={() => deactivate.mutate({ id: person.id })}
        onCancel={() => setConfirming(false)}
        busy={deactivate.isPending}
      >
        <p className="govuk-body">
          {person.email}, {roleName(person.role).toLowerCase()}.
        </p>
      </Confirm>
    );

  const isSelf = person.id === self.id;
  return (
    <>
      <BackLink to="/admin/people">Back to people</BackLink>
      {banner ? (
        <NotificationBanner success title="Done">
          <p className="govuk-notification-banner__heading">{banner}</p>
        </NotificationBanner>
      ) : null}
      {invited ? <InvitationLink invited={invited} again /> : null}
      <h1 className="govuk-heading-l">
        <span className="govuk-caption-l">People</span>
        {person.name}
      </h1>
      <SummaryList
        rows={[
          { key: 'Email address', value: person.email },
          { key: 'Role', value: roleName(person.role) },
          { key: 'Status', value: <PersonStatus status={person.status} /> },
          { key: 'Signs in with', value: signsInWith(person) },
          {
            key: 'Last signed in',
            value: person.lastSignInAt ? formatDateTime(person.lastSignInAt) : 'Never',
          },
          { key: 'Invited', value: formatDateTime(person.createdAt) },
          ...(person.deactivatedAt
            ? [{ key: 'Deactivated', value: formatDateTime(person.deactivatedAt) }]
            : []),
        ]}
      />
      {person.status === 'deactivated' ? (
        <>
          {form.problem ? (
            <ProblemText message={form.problem.message} requestId={form.problem.requestId} />
          ) : null}
          <InsetText>
            {person.name} is deactivated. To let them back in, invite them again with a new address or ask
            your hub admin.
          </InsetText>
        </>
      ) : (
        <>
          <div className="govuk-grid-row">
            <div className="govuk-grid-column-two-thirds">
              <Form
                onSubmit={() => {
                  if (!form.values.role)
                    return form.failWith([{ path: 'role', message: 'Choose the new role' }]);
                  setRole.mutate({ id: person.id, role: form.values.role as Role });
                }}
                problem={form.problem}
                fields={['role']}
                label="Change role"
              >
                <h2 className="govuk-heading-m">Change role</h2>
                {isSelf ? <InsetText>This is you: another admin must change your own role.</InsetText> : null}
                <Radios
                  id="role"
                  legend={`What may ${person.name} do?`}
                  hint={`Now: ${roleName(person.role).toLowerCase()}.`}
                  options={ROLE_OPTIONS}
                  value={form.values.role}
                  onChange={(v) => form.set('role', v)}
                  error={form.errorFor('role')}
                />
                <Button disabled={setRole.isPending}>Change role</Button>
              </Form>
            </div>
          </div>
          {person.status === 'invited' ? (
            <>
              <h2 className="govuk-heading-m">Invitation</h2>
              <p className="govuk-body">
                {person.name} has not set up their account yet. A new invitation replaces the old link.
              </p>
              <Button kind="secondary" type="button" onClick={() => reinvite.mutate({ id: person.id })}>
                Send a new invitation
              </Button>
            </>
          ) : null}
          <h2 className="govuk-heading-m">Deactivate</h2>
          <p className="govuk-body">When someone leaves or no longer needs the exchange.</p>
          <Button kind="warning" type="button" onClick={() => setConfirming(true)}>
            Deactivate<span className="govuk-visually-hidden"> {person.name}</span>
          </Button>
        </>
      )}
    </>
  );
};
