// Add a setting to the directory, or change one (version-checked: a change made meanwhile by someone
// else is refused, not overwritten). Every field of the hub's contract is on the form. A setting's
// regulator facts (Ofsted grade and date, registration, URN, type), name and postcode are its host
// authority's and the hub admin's to change; every other member sees them read-only and may propose a
// correction with its evidence, which the host or the hub admin decides (the Corrections page).
import { useState, type ReactNode } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Form, useHubForm, type HubForm } from '../../components/form.js';
import {
  BackLink,
  Button,
  DateInput,
  InsetText,
  Loading,
  NotificationBanner,
  PageHeading,
  ProblemText,
  Select,
  SummaryList,
  Textarea,
  TextInput,
} from '../../components/govuk.js';
import { useSession } from '../../session.js';
import { Link, navigate, useSearchParams } from '../../navigation.js';
import { hubErrorOf, useTRPC } from '../../trpc.js';
import { formatDateTime } from '../../format.js';
import type { PageProps } from '../../route-kit.js';
import {
  GRADE_NAMES,
  REGISTRATION_NAMES,
  TYPE_NAMES,
  optionsOf,
  type OfstedGrade,
  type Provision,
  type ProvisionType,
  type RegistrationStatus,
} from './labels.js';

type Values = {
  providerId: string;
  name: string;
  urn: string;
  type: string;
  hostAuthorityId: string;
  registrationStatus: string;
  ofstedGrade: string;
  ofstedGradeDate: string;
  postcode: string;
};

const EMPTY: Values = {
  providerId: '',
  name: '',
  urn: '',
  type: '',
  hostAuthorityId: '',
  registrationStatus: 'registered',
  ofstedGrade: 'not-yet-inspected',
  ofstedGradeDate: '',
  postcode: '',
};

const FIELDS = Object.keys(EMPTY).concat('version');

const valuesOf = (p: Provision): Values => ({
  providerId: p.providerId,
  name: p.name,
  urn: p.urn ?? '',
  type: p.type,
  hostAuthorityId: p.hostAuthorityId,
  registrationStatus: p.registrationStatus,
  ofstedGrade: p.ofstedGrade,
  ofstedGradeDate: p.ofstedGradeDate ?? '',
  postcode: p.postcode ?? '',
});

/** The fields both forms share: the setting's own facts. */
const SettingFields = ({
  form,
  providerField,
  hostField = true,
}: {
  form: HubForm<Values>;
  providerField: ReactNode;
  /** Where a setting stands is the hub admin's to set; its host authority sees it, read-only, above. */
  hostField?: boolean;
}) => {
  const trpc = useTRPC();
  const authorities = useQuery(trpc.authorities.list.queryOptions({}));
  const v = form.values;
  return (
    <>
      {providerField}
      <TextInput
        id="name"
        label="Setting’s name"
        value={v.name}
        onChange={(x) => form.set('name', x)}
        error={form.errorFor('name')}
      />
      <TextInput
        id="urn"
        label="Ofsted URN (optional)"
        hint="SC followed by six digits, or six or seven digits; leave empty for a setting without one"
        value={v.urn}
        onChange={(x) => form.set('urn', x)}
        error={form.errorFor('urn')}
        width="10"
        spellCheck={false}
      />
      <Select
        id="type"
        label="Type of setting"
        value={v.type}
        onChange={(x) => form.set('type', x)}
        error={form.errorFor('type')}
        options={optionsOf(TYPE_NAMES, 'Choose a type')}
      />
      {hostField ? (
        <Select
          id="hostAuthorityId"
          label="Host authority"
          hint="The member authority whose area the setting is in"
          value={v.hostAuthorityId}
          onChange={(x) => form.set('hostAuthorityId', x)}
          error={form.errorFor('hostAuthorityId')}
          options={[
            { value: '', label: authorities.isPending ? 'Loading authorities…' : 'Choose an authority' },
            ...(authorities.data ?? []).map((a) => ({ value: a.id, label: a.name })),
          ]}
        />
      ) : null}
      <Select
        id="registrationStatus"
        label="Registration status"
        value={v.registrationStatus}
        onChange={(x) => form.set('registrationStatus', x)}
        error={form.errorFor('registrationStatus')}
        options={optionsOf(REGISTRATION_NAMES)}
      />
      <Select
        id="ofstedGrade"
        label="Ofsted grade"
        value={v.ofstedGrade}
        onChange={(x) => form.set('ofstedGrade', x)}
        error={form.errorFor('ofstedGrade')}
        options={optionsOf(GRADE_NAMES)}
      />
      <DateInput
        id="ofstedGradeDate"
        legend="Date of the Ofsted grade (optional)"
        value={v.ofstedGradeDate}
        onChange={(x) => form.set('ofstedGradeDate', x)}
        error={form.errorFor('ofstedGradeDate')}
      />
      <TextInput
        id="postcode"
        label="Postcode (optional)"
        value={v.postcode}
        onChange={(x) => form.set('postcode', x)}
        error={form.errorFor('postcode')}
        width="10"
        autoComplete="postal-code"
      />
    </>
  );
};

/** Checks made before asking the hub: a choice left unmade (the hub would name the code, not the question). */
const unchosen = (v: Values) =>
  [
    !v.type && { path: 'type', message: 'Choose the type of setting' },
    !v.hostAuthorityId && { path: 'hostAuthorityId', message: 'Choose the host authority' },
  ].filter((x): x is { path: string; message: string } => Boolean(x));

export const NewSettingPage = (_: PageProps) => {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const providerId = useSearchParams().get('providerId') ?? '';
  const providers = useQuery(trpc.providers.search.queryOptions({ limit: 200 }));
  const form = useHubForm('hub:setting-new', { ...EMPTY, providerId });
  const create = useMutation(
    trpc.provisions.create.mutationOptions({
      onSuccess: (p) => {
        form.done();
        void queryClient.invalidateQueries(trpc.provisions.search.queryFilter());
        navigate(`/partnership/directory/settings/${p.id}?added=1`);
      },
      onError: form.fail,
    }),
  );
  const v = form.values;
  const submit = () => {
    const problems = unchosen(v);
    if (!v.providerId) problems.unshift({ path: 'providerId', message: 'Choose the provider' });
    if (problems.length > 0) return form.failWith(problems);
    create.mutate({
      providerId: v.providerId,
      name: v.name,
      type: v.type as ProvisionType,
      hostAuthorityId: v.hostAuthorityId,
      registrationStatus: v.registrationStatus as RegistrationStatus,
      ofstedGrade: v.ofstedGrade as OfstedGrade,
      ...(v.urn.trim() ? { urn: v.urn.trim() } : {}),
      ...(v.ofstedGradeDate ? { ofstedGradeDate: v.ofstedGradeDate } : {}),
      ...(v.postcode.trim() ? { postcode: v.postcode.trim() } : {}),
    });
  };
  const known = providers.data?.items ?? [];
  const chosen = known.find((p) => p.id === v.providerId);
  return (
    <>
      <BackLink to="/partnership/directory">Providers and settings</BackLink>
      <PageHeading caption="Providers and settings">Add a setting</PageHeading>
      <Form onSubmit={submit} problem={form.problem} fields={FIELDS} label="Add a setting">
        <SettingFields
          form={form}
          providerField={
            <Select
              id="providerId"
              label="Provider"
              hint="The organisation that runs the setting"
              value={v.providerId}
              onChange={(x) => form.set('providerId', x)}
              error={form.errorFor('providerId')}
              options={[
                { value: '', label: providers.isPending ? 'Loading providers…' : 'Choose a provider' },
                // A provider just added may not be among the first 200 by name.
                ...(v.providerId && !chosen && !providers.isPending
                  ? [{ value: v.providerId, label: 'The provider you chose' }]
                  : []),
                ...known.map((p) => ({ value: p.id, label: p.name })),
              ]}
            />
          }
        />
        <Button disabled={create.isPending}>Add setting</Button>
      </Form>
    </>
  );
};

export const ChangeSettingPage = ({ params }: PageProps) => {
  const id = params.id ?? '';
  const trpc = useTRPC();
  const setting = useQuery(trpc.provisions.get.queryOptions({ id }));
  const session = useSession();
  return (
    <>
      <BackLink to={session.can('hub-admin') ? '/partnership/directory' : `/settings/${id}`}>
        {session.can('hub-admin') ? 'Providers and settings' : 'The setting'}
      </BackLink>
      {setting.isPending ? (
        <>
          <PageHeading caption="Providers and settings">Change a setting</PageHeading>
          <Loading what="the setting" />
        </>
      ) : setting.isError ? (
        <>
          <PageHeading caption="Providers and settings">Change a setting</PageHeading>
          <ProblemText {...hubErrorOf(setting.error)} />
        </>
      ) : setting.data.status === 'merged' ? (
        <>
          <PageHeading caption="Providers and settings">{setting.data.name}</PageHeading>
          <InsetText>
            This setting was merged into another; everything of it is there now.{' '}
            <Link to={`/partnership/directory/settings/${setting.data.mergedIntoId ?? ''}`}>
              Go to the setting it was merged into
            </Link>
          </InsetText>
        </>
      ) : session.can('hub-admin') || session.me.authority.id === setting.data.hostAuthorityId ? (
        <ChangeSetting setting={setting.data} />
      ) : (
        <ProposeCorrection setting={setting.data} />
      )}
    </>
  );
};

const ChangeSetting = ({ setting }: { setting: Provision }) => {
  const trpc = useTRPC();
  const session = useSession();
  const queryClient = useQueryClient();
  const added = useSearchParams().get('added') === '1';
  const form = useHubForm(`hub:setting:${setting.id}`, valuesOf(setting));
  const [current, setCurrent] = useState(setting);
  const [saved, setSaved] = useState(false);
  const update = useMutation(
    trpc.provisions.update.mutationOptions({
      onSuccess: (p) => {
        form.reset(valuesOf(p));
        setCurrent(p);
        setSaved(true);
        void queryClient.invalidateQueries(trpc.provisions.search.queryFilter());
        void queryClient.invalidateQueries(trpc.provisions.get.queryFilter({ id: p.id }));
      },
      onError: (e) => {
        setSaved(false);
        form.fail(e);
      },
    }),
  );
  const v = form.values;
  const submit = () => {
    const problems = unchosen(v);
    if (problems.length > 0) return form.failWith(problems);
    update.mutate({
      id: current.id,
      version: current.version,
      name: v.name,
      urn: v.urn.trim() ? v.urn.trim() : null,
      type: v.type as ProvisionType,
      hostAuthorityId: v.hostAuthorityId,
      registrationStatus: v.registrationStatus as RegistrationStatus,
      ofstedGrade: v.ofstedGrade as OfstedGrade,
      ofstedGradeDate: v.ofstedGradeDate ? v.ofstedGradeDate : null,
      postcode: v.postcode.trim() ? v.postcode.trim() : null,
    });
  };
  return (
    <>
      <PageHeading caption="Providers and settings">Change {current.name}</PageHeading>
      {saved || added ? (
        <NotificationBanner success>
          <p className="govuk-notification-banner__heading">
            {saved ? `Your changes to ${current.name} are saved.` : `${current.name} is in the directory.`}{' '}
            {session.can('hub-admin') ? (
              <Link
                to={`/partnership/allocations/assign?provisionId=${current.id}`}
                className="govuk-notification-banner__link"
              >
                Assign its lead authority
              </Link>
            ) : null}
          </p>
        </NotificationBanner>
      ) : null}
      <SummaryList
        rows={[
          { key: 'Provider', value: current.provider?.name ?? current.providerId },
          { key: 'Host authority', value: current.hostAuthority?.name ?? current.hostAuthorityId },
          { key: 'Last changed', value: `${formatDateTime(current.updatedAt)} (version ${current.version})` },
        ]}
      />
      <Form onSubmit={submit} problem={form.problem} fields={FIELDS} label={`Change ${current.name}`}>
        <SettingFields form={form} providerField={null} hostField={session.can('hub-admin')} />
        <Button disabled={update.isPending}>Save changes</Button>
      </Form>
    </>
  );
};

type Correctable = Omit<Values, 'providerId' | 'hostAuthorityId'>;
const CORRECTABLE: (keyof Correctable)[] = [
  'registrationStatus',
  'ofstedGrade',
  'ofstedGradeDate',
  'urn',
  'type',
  'name',
  'postcode',
];

/** A member that is not the setting's host: its facts read-only, and a form to propose a correction. */
const ProposeCorrection = ({ setting }: { setting: Provision }) => {
  const trpc = useTRPC();
  const now = valuesOf(setting);
  const form = useHubForm(`hub:setting-correct:${setting.id}`, { ...now, reason: '' });
  const [proposed, setProposed] = useState(false);
  const propose = useMutation(
    trpc.provisions.proposeCorrection.mutationOptions({
      onSuccess: () => {
        form.reset({ ...now, reason: '' });
        setProposed(true);
      },
      onError: (e) => {
        setProposed(false);
        form.fail(e);
      },
    }),
  );
  const v = form.values;
  const submit = () => {
    const changed = CORRECTABLE.filter((k) => v[k].trim() !== now[k]);
    if (changed.length === 0)
      return form.failWith([
        { path: 'changes.ofstedGrade', message: 'Change at least one fact to propose a correction' },
      ]);
    const value = (k: keyof Correctable) => (v[k].trim() ? v[k].trim() : null);
    const changes = Object.fromEntries(changed.map((k) => [k, value(k)])) as Parameters<
      typeof propose.mutate
    >[0]['changes'];
    propose.mutate({ provisionId: setting.id, changes, reason: v.reason });
  };
  return (
    <>
      <PageHeading caption="The directory">{setting.name}</PageHeading>
      {proposed ? (
        <NotificationBanner success>
          <p className="govuk-notification-banner__heading">
            Your correction is proposed: {setting.hostAuthority?.name ?? 'the host authority'} or the hub
            admin will accept or decline it.{' '}
            <Link to="/partnership/corrections?view=mine" className="govuk-notification-banner__link">
              Your proposed corrections
            </Link>
          </p>
        </NotificationBanner>
      ) : null}
      <SummaryList
        rows={[
          { key: 'Provider', value: setting.provider?.name ?? setting.providerId },
          { key: 'Host authority', value: setting.hostAuthority?.name ?? setting.hostAuthorityId },
          { key: 'Ofsted URN', value: setting.urn ?? 'None' },
          { key: 'Type of setting', value: TYPE_NAMES[setting.type] },
          { key: 'Registration status', value: REGISTRATION_NAMES[setting.registrationStatus] },
          {
            key: 'Ofsted grade',
            value: `${GRADE_NAMES[setting.ofstedGrade]}${setting.ofstedGradeDate ? ` (${setting.ofstedGradeDate})` : ''}`,
          },
          { key: 'Postcode', value: setting.postcode ?? 'None' },
        ]}
      />
      <InsetText>
        These facts are kept by the setting’s host authority and the hub admin. If one is wrong, propose a
        correction with your evidence: they will accept or decline it.
      </InsetText>
      <h2 className="govuk-heading-m">Propose a correction</h2>
      <Form
        onSubmit={submit}
        problem={form.problem}
        fields={[...CORRECTABLE.map((k) => `changes.${k}`), 'reason']}
        label="Propose a correction"
      >
        <Select
          id="changes-registrationStatus"
          label="Registration status"
          value={v.registrationStatus}
          onChange={(x) => form.set('registrationStatus', x)}
          error={form.errorFor('changes.registrationStatus')}
          options={optionsOf(REGISTRATION_NAMES)}
        />
        <Select
          id="changes-ofstedGrade"
          label="Ofsted grade"
          value={v.ofstedGrade}
          onChange={(x) => form.set('ofstedGrade', x)}
          error={form.errorFor('changes.ofstedGrade')}
          options={optionsOf(GRADE_NAMES)}
        />
        <DateInput
          id="changes-ofstedGradeDate"
          legend="Date of the Ofsted grade (optional)"
          value={v.ofstedGradeDate}
          onChange={(x) => form.set('ofstedGradeDate', x)}
          error={form.errorFor('changes.ofstedGradeDate')}
        />
        <TextInput
          id="changes-urn"
          label="Ofsted URN (optional)"
          value={v.urn}
          onChange={(x) => form.set('urn', x)}
          error={form.errorFor('changes.urn')}
          width="10"
          spellCheck={false}
        />
        <Select
          id="changes-type"
          label="Type of setting"
          value={v.type}
          onChange={(x) => form.set('type', x)}
          error={form.errorFor('changes.type')}
          options={optionsOf(TYPE_NAMES)}
        />
        <TextInput
          id="changes-name"
          label="Setting’s name"
          value={v.name}
          onChange={(x) => form.set('name', x)}
          error={form.errorFor('changes.name')}
        />
        <TextInput
          id="changes-postcode"
          label="Postcode (optional)"
          value={v.postcode}
          onChange={(x) => form.set('postcode', x)}
          error={form.errorFor('changes.postcode')}
          width="10"
          autoComplete="postal-code"
        />
        <Textarea
          id="reason"
          label="Why, and on what evidence"
          hint="For example the date of the Ofsted report or notice"
          value={v.reason}
          onChange={(x) => form.set('reason', x)}
          error={form.errorFor('reason')}
        />
        <Button disabled={propose.isPending}>Propose correction</Button>
      </Form>
    </>
  );
};
