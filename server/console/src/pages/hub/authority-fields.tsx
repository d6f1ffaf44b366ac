// A member authority's details as a form asks for them, on the page that adds one and the page that
// changes one.
import type { HubForm } from '../../components/form.js';
import { Select, TextInput } from '../../components/govuk.js';
import { REGION_NAMES, optionsOf } from './labels.js';

type Details = { name: string; gssCode: string; region: string; qaInbox: string };

export const AuthorityDetailsFields = <V extends Details>({
  form,
  adding,
}: {
  form: HubForm<V>;
  /** Adding one: hints with examples, and a region still to choose. */
  adding: boolean;
}) => {
  const v = form.values;
  const set = (name: keyof Details) => (value: string) => form.set(name, value);
  return (
    <>
      <TextInput
        id="name"
        label="Name"
        hint={adding ? 'The council’s name, such as North Tyneside Council' : undefined}
        value={v.name}
        onChange={set('name')}
        error={form.errorFor('name')}
      />
      <TextInput
        id="gssCode"
        label="GSS code (optional)"
        hint={adding ? 'The ONS code of the local authority, such as E08000022' : 'Leave empty to remove it'}
        value={v.gssCode}
        onChange={set('gssCode')}
        error={form.errorFor('gssCode')}
        width="10"
        spellCheck={false}
      />
      <Select
        id="region"
        label="Region"
        value={v.region}
        onChange={set('region')}
        error={form.errorFor('region')}
        options={adding ? optionsOf(REGION_NAMES, 'Choose a region') : optionsOf(REGION_NAMES)}
      />
      <TextInput
        id="qaInbox"
        label="Quality assurance inbox"
        hint={
          adding
            ? 'The e-mail address other members contact about settings this authority leads on'
            : undefined
        }
        type="email"
        autoComplete="off"
        spellCheck={false}
        value={v.qaInbox}
        onChange={set('qaInbox')}
        error={form.errorFor('qaInbox')}
      />
    </>
  );
};
