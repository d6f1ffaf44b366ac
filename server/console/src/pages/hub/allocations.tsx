// Lead authorities: the current allocations, a way to assign a lead by hand, and automatic allocation
// previewed as a dry run (what it would assign, per setting, and why) before it is applied.
import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  BackLink,
  Button,
  ButtonLink,
  InsetText,
  Loading,
  NotificationBanner,
  PageHeading,
  ProblemText,
  Table,
} from '../../components/govuk.js';
import { Link } from '../../navigation.js';
import { hubErrorOf, useTRPC, type HubError, type Outputs } from '../../trpc.js';
import { formatDate } from '../../format.js';
import type { PageProps } from '../../route-kit.js';

type AutoResult = Outputs['allocations']['autoAllocate'];

const settingName = (
  p: { provision?: { name: string; urn: string | null } | null | undefined },
  id: string,
) => (p.provision ? `${p.provision.name}${p.provision.urn ? ` (${p.provision.urn})` : ''}` : id);

export const AllocationsPage = (_: PageProps) => {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const list = useQuery(trpc.allocations.list.queryOptions({ currentOnly: true, limit: 200 }));
  const [preview, setPreview] = useState<AutoResult | null>(null);
  const [applied, setApplied] = useState<AutoResult | null>(null);
  const [problem, setProblem] = useState<HubError | null>(null);
  const auto = useMutation(
    trpc.allocations.autoAllocate.mutationOptions({
      onSuccess: (result) => {
        setProblem(null);
        if (result.dryRun) {
          setApplied(null);
          setPreview(result);
        } else {
          setPreview(null);
          setApplied(result);
          void queryClient.invalidateQueries(trpc.allocations.list.queryFilter());
          void queryClient.invalidateQueries(trpc.monitoring.report.queryFilter());
        }
      },
      onError: (e) => setProblem(hubErrorOf(e)),
    }),
  );

  return (
    <>
      <BackLink to="/partnership">Partnership</BackLink>
      <PageHeading caption="Partnership">Lead authorities</PageHeading>
      {applied ? (
        <NotificationBanner success>
          <p className="govuk-notification-banner__heading">
            {applied.assigned === 1
              ? '1 lead authority assigned automatically.'
              : `${applied.assigned} lead authorities assigned automatically.`}
          </p>
          {applied.proposals.length > 0 ? (
            <ul className="govuk-list govuk-list--bullet">
              {applied.proposals.map((p) => (
                <li key={p.provisionId}>
                  {settingName(p, p.provisionName)}: {p.authority?.name ?? p.authorityId}
                </li>
              ))}
            </ul>
          ) : null}
        </NotificationBanner>
      ) : null}
      {problem ? <ProblemText message={problem.message} requestId={problem.requestId} /> : null}

      <p className="govuk-body">
        Each setting’s lead authority monitors it for the partnership.{' '}
        <Link to="/partnership/allocations/assign">Assign a lead authority</Link> by hand, or let the hub
        propose leads for settings that have none.
      </p>

      <h2 className="govuk-heading-m">Automatic allocation</h2>
      <p className="govuk-body">
        Settings where two or more members place children and no lead is assigned get one: the host authority
        if it places there, otherwise the authority placing the most children, then the one leading the fewest
        settings. Preview what it would do first; nothing changes until you apply it.
      </p>
      {preview ? (
        preview.proposals.length === 0 ? (
          <InsetText>
            <p className="govuk-body" role="status">
              Nothing to allocate: every setting with placements from two or more members already has a lead.
            </p>
          </InsetText>
        ) : (
          <>
            <Table
              caption={`Preview: ${preview.proposals.length} ${preview.proposals.length === 1 ? 'setting' : 'settings'} would get a lead`}
              head={['Setting', 'Proposed lead', 'Why', 'Children placed by']}
              rows={preview.proposals.map((p) => ({
                key: p.provisionId,
                cells: [
                  settingName(p, p.provisionName),
                  p.authority?.name ?? p.authorityId,
                  p.rationale,
                  <ul className="govuk-list">
                    {p.placing.map((x) => (
                      <li key={x.authorityId}>
                        {x.authority?.name ?? x.authorityId}: {x.children}
                      </li>
                    ))}
                  </ul>,
                ],
              }))}
            />
            <div className="govuk-button-group">
              <Button type="button" onClick={() => auto.mutate({ dryRun: false })} disabled={auto.isPending}>
                Apply these allocations
              </Button>
              <Button type="button" kind="secondary" onClick={() => setPreview(null)}>
                Cancel
              </Button>
            </div>
          </>
        )
      ) : null}
      {!preview || preview.proposals.length === 0 ? (
        <Button
          type="button"
          kind="secondary"
          onClick={() => auto.mutate({ dryRun: true })}
          disabled={auto.isPending}
        >
          Preview automatic allocation
        </Button>
      ) : null}

      <h2 className="govuk-heading-m govuk-!-margin-top-6">Current lead authorities</h2>
      {list.isPending ? (
        <Loading what="allocations" />
      ) : list.isError ? (
        <ProblemText {...hubErrorOf(list.error)} />
      ) : (
        <>
          <Table
            caption={
              list.data.nextCursor
                ? `The first ${list.data.items.length} current allocations`
                : `${list.data.items.length} current allocations`
            }
            head={['Setting', 'Lead authority', 'Since', 'Rationale', 'Action']}
            rows={list.data.items.map((a) => ({
              key: a.id,
              cells: [
                settingName(a, a.provisionId),
                a.authority?.name ?? a.authorityId,
                formatDate(a.startsOn),
                a.rationale,
                // Named in full for a screen reader's list of links (a hidden span inside a scrolling
                // table would push the page sideways at 320 px).
                <Link
                  to={`/partnership/allocations/assign?provisionId=${a.provisionId}`}
                  aria-label={`Change lead for ${settingName(a, a.provisionId)}`}
                >
                  Change lead
                </Link>,
              ],
            }))}
          />
          <ButtonLink to="/partnership/allocations/assign" kind="secondary">
            Assign a lead authority
          </ButtonLink>
        </>
      )}
    </>
  );
};
