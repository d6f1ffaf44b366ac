// Adding a restriction (restrictions.create): on one setting, or on its whole provider and so every
// setting of it; every kind the hub knows, including an informal embargo (always restricted) and those
// relayed from the regulator (with its reference).
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Form, useHubForm } from '../../components/form.js';
import {
  BackLink,
  Button,
  Checkboxes,
  DateInput,
  InsetText,
  PageHeading,
  Radios,
  Select,
  TextInput,
  Textarea,
  fieldId,
} from '../../components/govuk.js';
import { Link, navigate, useSearchParams } from '../../navigation.js';
import type { PageProps } from '../../route-kit.js';
import { useSession } from '../../session.js';
import { useTRPC } from '../../trpc.js';
import {
  ALWAYS_RESTRICTED_KINDS,
  CONTRACT_SCOPES,
  REASON_CATEGORIES,
  REGULATOR_KINDS,
  RESTRICTION_KINDS,
  RESTRICTION_SOURCES,
  optionsOf,
  type ContractScope,
  type ReasonCategory,
  type RestrictionKind,
  type RestrictionSource,
} from './labels.js';
import { dateProblem, useProviderName } from './parts.js';

type Reason = { category: string; text: string };
type Values = {
  appliesTo: 'provision' | 'provider';
  kind: string;
  source: string;
  regulatorReference: string;
  effectiveFrom: string;
  reviewOn: string;
  expiresOn: string;
  complianceDueOn: string;
  partnershipWide: string[];
  restricted: 'yes' | 'no';
  reasons: Reason[];
  contractScope: string;
  contractReference: string;
  summary: string;
  details: string;
};

const initial = (providerOnly: boolean): Values => ({
  appliesTo: providerOnly ? 'provider' : 'provision',
  kind: '',
  source: 'member',
  regulatorReference: '',
  effectiveFrom: '',
  reviewOn: '',
  expiresOn: '',
  complianceDueOn: '',
  partnershipWide: [],
  restricted: 'no',
  reasons: [{ category: '', text: '' }],
  contractScope: 'all',
  contractReference: '',
  summary: '',
  details: '',
});

const DATE_FIELDS = [
  [
    'effectiveFrom',
    'When does it take effect? (optional)',
    'Leave empty for today',
    'the date it takes effect',
  ],
  [
    'reviewOn',
    'When is it reviewed? (optional)',
    'Restrictions from the regulator are reviewed 12 weeks after they take effect unless you give a date',
    'the review date',
  ],
  [
    'expiresOn',
    'When does it end by itself? (optional)',
    'The first day it no longer applies; leave empty if it lasts until it is lifted',
    'the end date',
  ],
  [
    'complianceDueOn',
    'When must the provider comply by? (optional)',
    'A letter of concern gives 15 working days unless you give a date',
    'the compliance date',
  ],
] as const;

export const NewRestrictionPage = (_: PageProps) => {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { can } = useSession();
  const params = useSearchParams();
  const provisionId = params.get('provisionId');
  const givenProviderId = params.get('providerId');
  const provision = useQuery({
    ...trpc.provisions.get.queryOptions({ id: provisionId ?? '' }),
    enabled: Boolean(provisionId),
  });
  const providerId = givenProviderId ?? provision.data?.providerId ?? null;
  const providerName = useProviderName(providerId) ?? provision.data?.provider?.name ?? null;
  const settingName = provision.data
    ? `${provision.data.name}${provision.data.urn ? ` (URN ${provision.data.urn})` : ''}`
    : null;
  const form = useHubForm<Values>(
    `restriction:new:${provisionId ?? `provider:${givenProviderId ?? ''}`}`,
    initial(!provisionId),
  );
  const { values: v, set } = form;
  const kind = v.kind as RestrictionKind;
  const alwaysRestricted = ALWAYS_RESTRICTED_KINDS.includes(kind);

  const create = useMutation(
    trpc.restrictions.create.mutationOptions({
      onSuccess: async (r) => {
        form.done();
        await queryClient.invalidateQueries(trpc.restrictions.pathFilter());
        // A regulator notice already recorded is joined, not made twice: the page says which.
        if ('id' in r && r.id) navigate(`/restrictions/${r.id}?done=${r.joined ? 'joined' : 'created'}`);
      },
      onError: form.fail,
    }),
  );

  if (!provisionId && !givenProviderId)
    return (
      <>
        <PageHeading>Add a restriction</PageHeading>
        <p className="govuk-body">
          Choose the setting first, from <Link to="/my-settings">your settings</Link>.
        </p>
      </>
    );

  const submit = () => {
    const issues: { path: string; message: string }[] = [];
    const add = (path: string, message: string | null) => message && issues.push({ path, message });
    if (!v.kind) add('kind', 'Select the kind of restriction');
    if (REGULATOR_KINDS.includes(kind) && v.source !== 'regulator')
      add('source', 'The regulator imposes this kind: choose the regulator as its source');
    if (v.source === 'regulator' && !v.regulatorReference.trim())
      add('regulatorReference', "Enter the regulator's reference");
    for (const [f, , , name] of DATE_FIELDS) add(f, dateProblem(v[f], name, false));
    if (v.reasons.length === 0) add('reasons', 'Add at least one reason');
    v.reasons.forEach((r, i) => {
      if (!r.category) add(`reasons.${i}.category`, `Select the category of reason ${i + 1}`);
      if (!r.text.trim()) add(`reasons.${i}.text`, `Enter reason ${i + 1} in words`);
    });
    if (v.appliesTo === 'provider' && !providerId)
      add('appliesTo', 'The provider is not known yet: try again');
    if (issues.length > 0) return form.failWith(issues);
    create.mutate({
      ...(v.appliesTo === 'provider' ? { providerId: providerId! } : { provisionId: provisionId! }),
      kind,
      source: v.source as RestrictionSource,
      ...(v.source === 'regulator' ? { regulatorReference: v.regulatorReference } : {}),
      ...(v.effectiveFrom ? { effectiveFrom: v.effectiveFrom } : {}),
      ...(v.reviewOn ? { reviewOn: v.reviewOn } : {}),
      ...(v.expiresOn ? { expiresOn: v.expiresOn } : {}),
      ...(v.complianceDueOn ? { complianceDueOn: v.complianceDueOn } : {}),
      partnershipWide: v.partnershipWide.includes('yes'),
      restricted: alwaysRestricted || v.restricted === 'yes',
      reasons: v.reasons.map((r) => ({ category: r.category as ReasonCategory, text: r.text })),
      contractScope: v.contractScope as ContractScope,
      ...(v.contractReference.trim() ? { contractReference: v.contractReference } : {}),
      summary: v.summary,
      details: v.details,
    });
  };

  const fields = [
    'provisionId',
    'providerId',
    'appliesTo',
    'kind',
    'source',
    'regulatorReference',
    ...DATE_FIELDS.map(([f]) => f),
    'partnershipWide',
    'restricted',
    'reasons',
    ...v.reasons.flatMap((_, i) => [`reasons.${i}.category`, `reasons.${i}.text`]),
    'contractScope',
    'contractReference',
    'summary',
    'details',
  ];
  const setReason = (i: number, patch: Partial<Reason>) =>
    set(
      'reasons',
      v.reasons.map((r, k) => (k === i ? { ...r, ...patch } : r)),
    );

  return (
    <>
      <BackLink to="/my-settings" />
      <PageHeading caption={settingName ?? providerName ?? 'A setting'}>Add a restriction</PageHeading>
      <Form onSubmit={submit} problem={form.problem} fields={fields} label="Add a restriction">
        {provisionId ? (
          <Radios
            id="appliesTo"
            legend="What does it apply to?"
            error={form.errorFor('appliesTo') ?? form.errorFor('provisionId') ?? form.errorFor('providerId')}
            options={[
              { value: 'provision', label: `This setting only${settingName ? `: ${settingName}` : ''}` },
              {
                value: 'provider',
                label: `Every setting of its provider${providerName ? `, ${providerName}` : ''}`,
                hint: 'A provider-wide restriction applies to each of its settings, now and later',
              },
            ]}
            value={v.appliesTo}
            onChange={(x) => set('appliesTo', x as Values['appliesTo'])}
          />
        ) : (
          <InsetText>
            This restriction applies to every setting of {providerName ?? 'the provider'}.
          </InsetText>
        )}
        <Select
          id="kind"
          label="Kind of restriction"
          error={form.errorFor('kind')}
          value={v.kind}
          onChange={(x) => set('kind', x)}
          options={[{ value: '', label: 'Choose a kind' }, ...optionsOf(RESTRICTION_KINDS)]}
        />
        <Radios
          id="source"
          legend="Who imposed it?"
          hint="Ofsted restrictions, suspensions, cancelled registrations and regulatory action plans come from the regulator"
          error={form.errorFor('source')}
          options={optionsOf(RESTRICTION_SOURCES)}
          value={v.source}
          onChange={(x) => set('source', x)}
        />
        {v.source === 'regulator' ? (
          <TextInput
            id="regulatorReference"
            label="The regulator's reference"
            error={form.errorFor('regulatorReference')}
            value={v.regulatorReference}
            onChange={(x) => set('regulatorReference', x)}
            width="20"
          />
        ) : null}

        <h2 className="govuk-heading-m">Reasons</h2>
        {form.errorFor('reasons') && v.reasons.length === 0 ? (
          <p id="reasons" className="govuk-error-message">
            <span className="govuk-visually-hidden">Error:</span> {form.errorFor('reasons')}
          </p>
        ) : null}
        {v.reasons.map((r, i) => (
          <fieldset className="govuk-fieldset" key={i}>
            <legend className="govuk-fieldset__legend govuk-fieldset__legend--s">Reason {i + 1}</legend>
            <Select
              id={fieldId(`reasons.${i}.category`)}
              label="Category"
              error={form.errorFor(`reasons.${i}.category`)}
              value={r.category}
              onChange={(x) => setReason(i, { category: x })}
              options={[{ value: '', label: 'Choose a category' }, ...optionsOf(REASON_CATEGORIES)]}
            />
            <Textarea
              id={fieldId(`reasons.${i}.text`)}
              label="The reason in words"
              error={form.errorFor(`reasons.${i}.text`)}
              value={r.text}
              onChange={(x) => setReason(i, { text: x })}
              rows={2}
            />
            {v.reasons.length > 1 ? (
              <Button
                type="button"
                kind="secondary"
                onClick={() =>
                  set(
                    'reasons',
                    v.reasons.filter((_, k) => k !== i),
                  )
                }
              >
                Remove reason {i + 1}
              </Button>
            ) : null}
          </fieldset>
        ))}
        <Button
          type="button"
          kind="secondary"
          onClick={() => set('reasons', [...v.reasons, { category: '', text: '' }])}
        >
          Add another reason
        </Button>

        <h2 className="govuk-heading-m">Dates</h2>
        {DATE_FIELDS.map(([f, legend, hint]) => (
          <DateInput
            key={f}
            id={f}
            legend={legend}
            hint={hint}
            error={form.errorFor(f)}
            value={v[f]}
            onChange={(x) => set(f, x)}
          />
        ))}

        <h2 className="govuk-heading-m">Contracts and detail</h2>
        <Select
          id="contractScope"
          label="Which contracts does it affect?"
          error={form.errorFor('contractScope')}
          value={v.contractScope}
          onChange={(x) => set('contractScope', x)}
          options={optionsOf(CONTRACT_SCOPES)}
        />
        <TextInput
          id="contractReference"
          label="Contract reference (optional)"
          hint="The framework lot or dynamic purchasing system it affects"
          error={form.errorFor('contractReference')}
          value={v.contractReference}
          onChange={(x) => set('contractReference', x)}
        />
        <Textarea
          id="summary"
          label="Summary (optional)"
          hint="A line other members read beside the restriction"
          error={form.errorFor('summary')}
          value={v.summary}
          onChange={(x) => set('summary', x)}
          rows={2}
        />
        <Textarea
          id="details"
          label="Details (optional)"
          error={form.errorFor('details')}
          value={v.details}
          onChange={(x) => set('details', x)}
        />
        {alwaysRestricted ? (
          <InsetText>
            An informal embargo is always restricted information: only your authority and those you share it
            with read its detail; other members learn only that it exists and whom to contact.
          </InsetText>
        ) : (
          <Radios
            id="restricted"
            legend="Is this restricted information?"
            error={form.errorFor('restricted')}
            options={[
              { value: 'no', label: 'No', hint: 'Members with a need to know read the detail' },
              {
                value: 'yes',
                label: 'Yes, restricted',
                hint: 'Others learn only that it exists and whom to contact',
              },
            ]}
            value={v.restricted}
            onChange={(x) => set('restricted', x as 'yes' | 'no')}
          />
        )}
        {can('hub-admin') ? (
          <Checkboxes
            id="partnershipWide"
            legend="For the whole partnership"
            hint="Only an embargo can apply to all members"
            error={form.errorFor('partnershipWide')}
            options={[{ value: 'yes', label: 'Apply it to every member on behalf of the partnership' }]}
            values={v.partnershipWide}
            onChange={(x) => set('partnershipWide', x)}
          />
        ) : null}
        <div className="govuk-button-group">
          <Button disabled={create.isPending}>Add restriction</Button>
          <Link to="/my-settings">Cancel</Link>
        </div>
      </Form>
    </>
  );
};
