// "Authorities placing here": on a setting's page, for its lead and host authorities only, the
// authorities with children placed there, how many, and their QA contacts — whom the lead advises and
// gathers professional feedback from. The hub decides who may see them (placements.atProvision); the
// page asks only when the caller's bases there include lead or host, and shows nothing if refused.
import { useQuery } from '@tanstack/react-query';
import { Loading, Table } from '../../components/govuk.js';
import { formatDate } from '../../format.js';
import { hubErrorOf, useTRPC, type Outputs } from '../../trpc.js';

type Bases = Outputs['access']['explain']['bases'];

export const PlacingAuthorities = ({ provisionId, bases }: { provisionId: string; bases: Bases }) => {
  const trpc = useTRPC();
  const asked = bases.some((b) => b.basis === 'lead' || b.basis === 'host');
  const placing = useQuery({
    ...trpc.placements.atProvision.queryOptions({ provisionId }),
    enabled: asked,
    retry: false,
  });
  if (!asked) return null;
  if (placing.error && hubErrorOf(placing.error).code === 'FORBIDDEN') return null;
  const title = 'Authorities placing here';
  return (
    <section
      aria-labelledby="placing-heading"
      className="govuk-!-margin-top-8"
      data-testid="placing-authorities"
    >
      <h2 className="govuk-heading-m" id="placing-heading">
        {title}
      </h2>
      {placing.isPending ? (
        <Loading what="the authorities placing here" />
      ) : placing.error ? (
        <p className="govuk-body">{hubErrorOf(placing.error).message}</p>
      ) : (
        <>
          <p className="govuk-body">
            Your authority sees this as the setting&apos;s {placing.data.basis} authority. Contact a placing
            authority to advise it or to gather its professional feedback.
          </p>
          {placing.data.authorities.length === 0 ? (
            <p className="govuk-body">No member authority has declared children placed here.</p>
          ) : (
            <Table
              caption={`${placing.data.children} ${placing.data.children === 1 ? 'child' : 'children'} placed by ${placing.data.authorities.length} ${placing.data.authorities.length === 1 ? 'authority' : 'authorities'}`}
              head={['Authority', 'Children', 'Since', 'QA contact']}
              numeric={[1]}
              rows={placing.data.authorities.map((a) => ({
                key: a.authorityId,
                cells: [
                  a.name,
                  String(a.children),
                  formatDate(a.since),
                  <a className="govuk-link" href={`mailto:${a.qaInbox}`} key="mail">
                    {a.qaInbox}
                  </a>,
                ],
              }))}
            />
          )}
        </>
      )}
    </section>
  );
};
