// Change a member authority: its details and its membership status, version-checked (a change made
// meanwhile by someone else is refused, not overwritten).
import { useEffect, useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Form, useHubForm } from '../../components/form.js';
import {
  BackLink,
  Button,
  Loading,
  NotificationBanner,
  PageHeading,
  ProblemText,
  Radios,
  SummaryList,
  Tag,
} from '../../components/govuk.js';
import { hubErrorOf, useTRPC } from '../../trpc.js';
import { formatDateTime } from '../../format.js';
import type { PageProps } from '../../route-kit.js';
import { AuthorityDetailsFields } from './authority-fields.js';
import {
  STATUS_COLOURS,
  STATUS_NAMES,
  type Authority,
  type MembershipStatus,
  type Region,
} from './labels.js';

const FIELDS = ['name', 'gssCode', 'region', 'status', 'qaInbox', 'version'];
const STATUS_HINTS: Record<MembershipStatus, string> = {
  active: 'Its people and API clients use the hub as usual.',
  suspended: 'Membership paused: it is left out of automatic allocation while suspended.',
  left: 'It has left the partnership.',
};

const valuesOf = (a: Authority) => ({
  name: a.name,
  gssCode: a.gssCode ?? '',
  region: a.region as string,
  status: a.status as string,
  qaInbox: a.qaInbox,
});

export const AuthorityChangePage = ({ params }: PageProps) => {
  const id = params.id ?? '';
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const authority = useQuery(trpc.authorities.get.queryOptions({ id }));
  return (
    <>
      <BackLink to="/partnership/authorities">Member authorities</BackLink>
      {authority.isPending ? (
        <>
          <PageHeading caption="Member authorities">Change a member authority</PageHeading>
          <Loading what="the authority" />
        </>
      ) : authority.isError ? (
        <>
          <PageHeading caption="Member authorities">Change a member authority</PageHeading>
          <ProblemText {...hubErrorOf(authority.error)} />
        </>
      ) : (
        <ChangeForm
          authority={authority.data}
          onSaved={() => {
            void queryClient.invalidateQueries(trpc.authorities.list.queryFilter());
            void queryClient.invalidateQueries(trpc.authorities.get.queryFilter({ id }));
          }}
        />
      )}
    </>
  );
};

const ChangeForm = ({ authority, onSaved }: { authority: Authority; onSaved: () => void }) => {
  const trpc = useTRPC();
  const form = useHubForm(`hub:authority:${authority.id}`, valuesOf(authority));
  const [current, setCurrent] = useState(authority);
  const [saved, setSaved] = useState(false);
  useEffect(() => setCurrent(authority), [authority]);
  const update = useMutation(
    trpc.authorities.update.mutationOptions({
      onSuccess: (a) => {
        form.reset(valuesOf(a));
        setCurrent(a);
        setSaved(true);
        onSaved();
      },
      onError: (e) => {
        setSaved(false);
        form.fail(e);
      },
    }),
  );
  const v = form.values;
  const submit = () =>
    update.mutate({
      id: current.id,
      version: current.version,
      name: v.name,
      gssCode: v.gssCode.trim() ? v.gssCode.trim().toUpperCase() : null,
      region: v.region as Region,
      status: v.status as MembershipStatus,
      qaInbox: v.qaInbox.trim(),
    });
  return (
    <>
      <PageHeading caption="Member authorities">Change {current.name}</PageHeading>
      {saved ? (
        <NotificationBanner success>
          <p className="govuk-notification-banner__heading">
            {current.name} is saved: membership {STATUS_NAMES[current.status].toLowerCase()}.
          </p>
        </NotificationBanner>
      ) : null}
      <SummaryList
        rows={[
          { key: 'Authority id', value: current.id },
          {
            key: 'Membership',
            value: <Tag colour={STATUS_COLOURS[current.status]}>{STATUS_NAMES[current.status]}</Tag>,
          },
          { key: 'Last changed', value: `${formatDateTime(current.updatedAt)} (version ${current.version})` },
        ]}
      />
      <Form onSubmit={submit} problem={form.problem} fields={FIELDS} label={`Change ${current.name}`}>
        <Radios
          id="status"
          legend="Membership status"
          value={v.status}
          onChange={(x) => form.set('status', x)}
          error={form.errorFor('status')}
          options={(Object.keys(STATUS_NAMES) as MembershipStatus[]).map((s) => ({
            value: s,
            label: STATUS_NAMES[s],
            hint: STATUS_HINTS[s],
          }))}
        />
        <AuthorityDetailsFields form={form} adding={false} />
        <Button disabled={update.isPending}>Save changes</Button>
      </Form>
    </>
  );
};
