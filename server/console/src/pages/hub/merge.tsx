// Merging a duplicate setting into the one that survives (the hub admin): choose both, preview what
// would move (a dry run: rows by kind, and what the merge decides), then confirm.
import { useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Form, useHubForm } from '../../components/form.js';
import {
  BackLink,
  Button,
  NotificationBanner,
  PageHeading,
  Table,
  TextInput,
  WarningText,
} from '../../components/govuk.js';
import { useTRPC, type Outputs } from '../../trpc.js';
import type { PageProps } from '../../route-kit.js';

type Report = Outputs['provisions']['merge'];

export const MergePage = (_: PageProps) => {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const form = useHubForm('hub:merge', { mergedId: '', survivorId: '' });
  const [preview, setPreview] = useState<Report | null>(null);
  const [merged, setMerged] = useState<Report | null>(null);
  const merge = useMutation(
    trpc.provisions.merge.mutationOptions({
      onSuccess: (r) => {
        if (r.dryRun) {
          setPreview(r);
          return;
        }
        form.reset({ mergedId: '', survivorId: '' });
        setPreview(null);
        setMerged(r);
        void queryClient.invalidateQueries(trpc.provisions.search.queryFilter());
      },
      onError: (e) => {
        setPreview(null);
        form.fail(e);
      },
    }),
  );
  const v = form.values;
  const run = (dryRun: boolean) => {
    const problems = [
      !v.mergedId.trim() && { path: 'mergedId', message: 'Give the id of the duplicate setting' },
      !v.survivorId.trim() && { path: 'survivorId', message: 'Give the id of the setting that survives' },
    ].filter((x): x is { path: string; message: string } => Boolean(x));
    if (problems.length > 0) return form.failWith(problems);
    setMerged(null);
    merge.mutate({ mergedId: v.mergedId.trim(), survivorId: v.survivorId.trim(), dryRun });
  };
  return (
    <>
      <BackLink to="/partnership/directory">Providers and settings</BackLink>
      <PageHeading caption="Providers and settings">Merge two settings</PageHeading>
      {merged ? (
        <NotificationBanner success>
          <p className="govuk-notification-banner__heading">
            Merged. Everything of the duplicate is now at the setting that survives; the duplicate’s id points
            to it.
          </p>
        </NotificationBanner>
      ) : null}
      <p className="govuk-body">
        Everything of the duplicate — its outcomes, restrictions, concerns, lead allocation, placement
        declarations, grants, corrections and history — moves to the setting that survives, in one step.
      </p>
      <Form
        onSubmit={() => run(true)}
        problem={form.problem}
        fields={['mergedId', 'survivorId']}
        label="Merge two settings"
      >
        <TextInput
          id="mergedId"
          label="The duplicate setting (its id)"
          value={v.mergedId}
          onChange={(x) => {
            setPreview(null);
            form.set('mergedId', x);
          }}
          error={form.errorFor('mergedId')}
          spellCheck={false}
        />
        <TextInput
          id="survivorId"
          label="The setting that survives (its id)"
          value={v.survivorId}
          onChange={(x) => {
            setPreview(null);
            form.set('survivorId', x);
          }}
          error={form.errorFor('survivorId')}
          spellCheck={false}
        />
        <Button kind="secondary" disabled={merge.isPending}>
          Preview what would move
        </Button>
      </Form>
      {preview ? (
        <>
          <Table
            caption="What would move to the setting that survives"
            head={['Rows', 'Number']}
            numeric={[1]}
            rows={Object.entries(preview.moved).map(([k, n]) => ({
              key: k,
              cells: [k.replace(/_/g, ' '), n],
            }))}
          />
          {preview.notes.length > 0 ? (
            <ul className="govuk-list govuk-list--bullet">
              {preview.notes.map((n) => (
                <li key={n}>{n}</li>
              ))}
            </ul>
          ) : null}
          <WarningText>A merge cannot be undone.</WarningText>
          <Button type="button" kind="warning" disabled={merge.isPending} onClick={() => run(false)}>
            Merge the settings
          </Button>
        </>
      ) : null}
    </>
  );
};
