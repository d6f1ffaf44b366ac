// "Why can I see this?": GOV.UK's Details component that, when opened, asks the hub (access.explain)
// which basis this person's authority holds, the layer it gives and what would grant more.
import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { hubErrorOf, useTRPC, type Inputs } from '../../trpc.js';
import { LAYER_WORDS, words } from './labels.js';

type ExplainInput = Inputs['access']['explain'];

const Explanation = ({ input }: { input: ExplainInput }) => {
  const trpc = useTRPC();
  const explain = useQuery(trpc.access.explain.queryOptions(input));
  if (explain.isPending)
    return (
      <p className="govuk-body" role="status">
        Asking the hub…
      </p>
    );
  if (explain.error) return <p className="govuk-body">{hubErrorOf(explain.error).message}</p>;
  const e = explain.data;
  return (
    <div data-testid="explanation">
      <p className="govuk-body">
        You see {e.record ? `this ${e.record.type}` : 'this setting'} at the layer{' '}
        <strong>{LAYER_WORDS[e.layer].toLowerCase()}</strong>: {e.reason}.
      </p>
      {e.bases.length > 0 ? (
        <>
          <p className="govuk-body govuk-!-margin-bottom-1">Your authority holds:</p>
          <ul className="govuk-list govuk-list--bullet">
            {e.bases.map((b, i) => (
              <li key={i}>
                {words(b.basis)}: {b.because}
                {b.until ? ` (until ${b.until})` : ''}
              </li>
            ))}
          </ul>
        </>
      ) : (
        <p className="govuk-body">Your authority holds no basis for it.</p>
      )}
      {e.wouldGrant.length > 0 ? (
        <>
          <p className="govuk-body govuk-!-margin-bottom-1">You would see more with:</p>
          <ul className="govuk-list govuk-list--bullet">
            {e.wouldGrant.map((w) => (
              <li key={w}>{w}</li>
            ))}
          </ul>
        </>
      ) : null}
      <p className="govuk-body-s govuk-!-margin-bottom-0">Rule applied: {e.rule}</p>
    </div>
  );
};

export const WhyCanISee = ({ input }: { input: ExplainInput }) => {
  const [open, setOpen] = useState(false);
  return (
    <details
      className="govuk-details govuk-!-margin-bottom-2"
      onToggle={(event) => setOpen(event.currentTarget.open)}
    >
      <summary className="govuk-details__summary">
        <span className="govuk-details__summary-text">Why can I see this?</span>
      </summary>
      <div className="govuk-details__text">{open ? <Explanation input={input} /> : null}</div>
    </details>
  );
};
