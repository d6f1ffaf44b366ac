// Member authorities: the list (with each one's membership status), and a form to add one.
import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Form, useHubForm } from '../../components/form.js';
import {
  BackLink,
  Button,
  Loading,
  NotificationBanner,
  PageHeading,
  ProblemText,
  Table,
  Tag,
  TextInput,
} from '../../components/govuk.js';
import { Link } from '../../navigation.js';
import { hubErrorOf, useTRPC, type Inputs } from '../../trpc.js';
import type { PageProps } from '../../route-kit.js';
import { AuthorityDetailsFields } from './authority-fields.js';
import { REGION_NAMES, STATUS_COLOURS, STATUS_NAMES, type Region } from './labels.js';

const EMPTY = { id: '', name: '', gssCode: '', region: '', qaInbox: '' };
const FIELDS = ['id', 'name', 'gssCode', 'region', 'qaInbox'];

export const AuthoritiesPage = (_: PageProps) => {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const list = useQuery(trpc.authorities.list.queryOptions({}));
  const form = useHubForm('hub:authority-new', EMPTY);
  const [added, setAdded] = useState<{ id: string; name: string } | null>(null);
  const create = useMutation(
    trpc.authorities.create.mutationOptions({
      onSuccess: (a) => {
        form.reset(EMPTY);
        setAdded({ id: a.id, name: a.name });
        void queryClient.invalidateQueries(trpc.authorities.list.queryFilter());
      },
      onError: (e) => {
        setAdded(null);
        form.fail(e);
      },
    }),
  );
  const v = form.values;
  const submit = () => {
    const input: Inputs['authorities']['create'] = {
      id: v.id.trim(),
      name: v.name,
      region: v.region as Region,
      qaInbox: v.qaInbox.trim(),
      ...(v.gssCode.trim() ? { gssCode: v.gssCode.trim().toUpperCase() } : {}),
    };
    create.mutate(input);
  };

  return (
    <>
      <BackLink to="/partnership">Partnership</BackLink>
      <PageHeading caption="Partnership">Member authorities</PageHeading>
      {added ? (
        <NotificationBanner success>
          <p className="govuk-notification-banner__heading">
            {added.name} is now a member of the partnership.{' '}
            <Link to={`/partnership/authorities/${added.id}`} className="govuk-notification-banner__link">
              Change {added.name}
            </Link>
          </p>
        </NotificationBanner>
      ) : null}
      {list.isPending ? (
        <Loading what="member authorities" />
      ) : list.isError ? (
        <ProblemText {...hubErrorOf(list.error)} />
      ) : (
        <Table
          caption={`${list.data.length} member authorities`}
          head={['Authority', 'Region', 'Membership', 'QA inbox', 'Action']}
          rows={list.data.map((a) => ({
            key: a.id,
            cells: [
              <>
                {a.name}
                {a.isHost ? ' (host authority)' : ''}
                <br />
                <span className="govuk-body-s govuk-!-margin-bottom-0">{a.id}</span>
              </>,
              REGION_NAMES[a.region],
              <Tag colour={STATUS_COLOURS[a.status]}>{STATUS_NAMES[a.status]}</Tag>,
              a.qaInbox,
              // Named in full for a screen reader's list of links (a hidden span inside a scrolling
              // table would push the page sideways at 320 px).
              <Link to={`/partnership/authorities/${a.id}`} aria-label={`Change ${a.name}`}>
                Change
              </Link>,
            ],
          }))}
        />
      )}

      <h2 className="govuk-heading-m govuk-!-margin-top-6">Add a member authority</h2>
      <Form onSubmit={submit} problem={form.problem} fields={FIELDS} label="Add a member authority">
        <TextInput
          id="id"
          label="Authority id"
          hint="A lower-case slug the hub and API clients use, such as north-tyneside. It cannot be changed later."
          value={v.id}
          onChange={(x) => form.set('id', x)}
          error={form.errorFor('id')}
          width="20"
          spellCheck={false}
        />
        <AuthorityDetailsFields form={form} adding={true} />
        <Button disabled={create.isPending}>Add member authority</Button>
      </Form>
    </>
  );
};
